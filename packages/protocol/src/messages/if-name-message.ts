import { NAME_SIZE } from '../constants.ts';
import type { MsgType } from '../msg-type.ts';
import { readString, writeString } from '../wire.ts';
import { defineMessage } from './define-message.ts';
import type { MessageCodec } from './message-codec.ts';

/** CONNECT and CONNECTED share one layout: the sender's interface name at byte 2. */
export function defineIfNameMessage<M extends { readonly type: MsgType; readonly ifName: string }>(
  type: M['type'],
  field: string,
): MessageCodec<M> {
  return defineMessage<M>({
    type,
    fd: 'none',
    write(msg, _view, bytes, at) {
      writeString(bytes, at + 2, NAME_SIZE, msg.ifName, field);
    },
    read: (_view, bytes, at) => ({ type, ifName: readString(bytes, at + 2, NAME_SIZE) }) as M,
  });
}
