import { DISCONNECT_REASON_SIZE } from '../constants.ts';
import { MsgType } from '../msg-type.ts';
import { checkUint, readString, writeString } from '../wire.ts';
import { defineMessage } from './define-message.ts';

/** `memif_msg_disconnect_t`: either side ends the connection, saying why. */
export interface MsgDisconnect {
  readonly type: typeof MsgType.Disconnect;
  /** 0 from DPDK and libmemif; VPP sends its internal error code. Receivers ignore it. */
  readonly code: number;
  /** At most 95 bytes. */
  readonly reason: string;
}

export const MsgDisconnect = defineMessage<MsgDisconnect>({
  type: MsgType.Disconnect,
  fd: 'none',
  write(msg, view, bytes, at) {
    checkUint(msg.code, 32, 'disconnect.code');
    writeString(bytes, at + 6, DISCONNECT_REASON_SIZE, msg.reason, 'disconnect.reason');
    view.setUint32(2, msg.code, true);
  },
  read: (view, bytes, at) => ({
    type: MsgType.Disconnect,
    code: view.getUint32(2, true),
    reason: readString(bytes, at + 6, DISCONNECT_REASON_SIZE),
  }),
});
