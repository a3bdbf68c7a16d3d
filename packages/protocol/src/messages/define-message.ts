import { MSG_SIZE } from '../constants.ts';
import { type MsgType, msgTypeToString } from '../msg-type.ts';
import { ProtocolError } from '../protocol-error.ts';
import { messageView } from '../wire.ts';
import type { FdPolicy, MessageCodec } from './message-codec.ts';

interface MessageBody<M extends { readonly type: MsgType }> {
  readonly type: M['type'];
  readonly fd: FdPolicy;
  /** Checks and writes the payload (from byte 2); the header and zero padding are done here. */
  readonly write: (msg: M, view: DataView, bytes: Uint8Array, at: number) => void;
  /** Reads and checks the payload (from byte 2). */
  readonly read: (view: DataView, bytes: Uint8Array, at: number) => M;
}

/** Builds a message codec from its payload layout: the shared 2-byte header and padding rules. */
export function defineMessage<M extends { readonly type: MsgType }>(body: MessageBody<M>): MessageCodec<M> {
  const name = msgTypeToString(body.type);
  return {
    type: body.type,
    size: MSG_SIZE,
    fd: body.fd,
    encode(msg, into, offset = 0) {
      const view = messageView(into, offset, 'encode');
      if (msg.type !== body.type) {
        throw new ProtocolError(
          'ERR_MEMIF_MSG_TYPE',
          `the ${name} codec cannot encode a message of type ${msgTypeToString(msg.type)}`,
          'type',
        );
      }
      // Validate and write the payload before committing the header, so a refused message
      // never leaves a half-written one that looks valid.
      into.fill(0, offset, offset + MSG_SIZE);
      body.write(msg, view, into, offset);
      view.setUint16(0, body.type, true);
      return MSG_SIZE;
    },
    decode(from, offset = 0) {
      const view = messageView(from, offset, 'decode');
      const type = view.getUint16(0, true);
      if (type !== body.type) {
        throw new ProtocolError('ERR_MEMIF_MSG_TYPE', `expected a ${name} message, got type ${msgTypeToString(type)}`, 'type');
      }
      return body.read(view, from, offset);
    },
  };
}
