import { MsgType } from '../msg-type.ts';
import { defineIfNameMessage } from './if-name-message.ts';

/** `memif_msg_connect_t`: the slave's last handshake message, with its interface name. */
export interface MsgConnect {
  readonly type: typeof MsgType.Connect;
  /** e.g. DPDK's ethdev name `net_memif0` (at most 31 bytes). */
  readonly ifName: string;
}

export const MsgConnect = defineIfNameMessage<MsgConnect>(MsgType.Connect, 'connect.ifName');
