import { MsgType } from '../msg-type.ts';
import { defineMessage } from './define-message.ts';

/** `memif_msg_ack_t`: the master's answer to INIT, ADD_REGION and ADD_RING. No payload. */
export interface MsgAck {
  readonly type: typeof MsgType.Ack;
}

export const MsgAck = defineMessage<MsgAck>({
  type: MsgType.Ack,
  fd: 'none',
  write() {},
  read: () => ({ type: MsgType.Ack }),
});
