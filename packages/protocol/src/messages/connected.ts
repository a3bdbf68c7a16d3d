import { MsgType } from '../msg-type.ts';
import { defineIfNameMessage } from './if-name-message.ts';

/** `memif_msg_connected_t`: the master's answer to CONNECT; the link is up on both sides. */
export interface MsgConnected {
  readonly type: typeof MsgType.Connected;
  /** The master's interface name (at most 31 bytes). */
  readonly ifName: string;
}

export const MsgConnected = defineIfNameMessage<MsgConnected>(MsgType.Connected, 'connected.ifName');
