import { MSG_SIZE } from './constants.ts';
import { MsgAck } from './messages/ack.ts';
import { MsgAddRegion } from './messages/add-region.ts';
import { MsgAddRing } from './messages/add-ring.ts';
import { MsgConnect } from './messages/connect.ts';
import { MsgConnected } from './messages/connected.ts';
import { MsgDisconnect } from './messages/disconnect.ts';
import { MsgHello } from './messages/hello.ts';
import { MsgInit } from './messages/init.ts';
import type { FdPolicy, MessageCodec } from './messages/message-codec.ts';
import { type MsgType, msgTypeToString } from './msg-type.ts';
import { ProtocolError } from './protocol-error.ts';
import { messageView } from './wire.ts';

/** Any memif control message, discriminated by `type` (`memif_msg_t`). */
export type Msg = MsgAck | MsgHello | MsgInit | MsgAddRegion | MsgAddRing | MsgConnect | MsgConnected | MsgDisconnect;

type AnyCodec = MessageCodec<Msg>;

const codecs: ReadonlyArray<AnyCodec | undefined> = [
  undefined,
  MsgAck,
  MsgHello,
  MsgInit,
  MsgAddRegion,
  MsgAddRing,
  MsgConnect,
  MsgConnected,
  MsgDisconnect,
] as ReadonlyArray<AnyCodec | undefined>;

function codecFor(type: number): AnyCodec {
  const codec = codecs[type];
  if (codec === undefined) {
    throw new ProtocolError(
      'ERR_MEMIF_MSG_TYPE',
      `unknown memif message type ${msgTypeToString(type)}; known types are 1 (ACK) to 8 (DISCONNECT)`,
      'type',
    );
  }
  return codec;
}

/** Whether messages of `type` travel with a file descriptor (ADD_REGION and ADD_RING do). */
export function msgFdPolicy(type: MsgType): FdPolicy {
  return codecFor(type).fd;
}

/**
 * Writes `msg` as 128 bytes into `into` at `offset` and returns 128. Allocates no buffer.
 * Throws {@link ProtocolError} for a value that does not fit its field, RangeError if `into` is short.
 */
export function encodeMsgInto(msg: Msg, into: Uint8Array, offset = 0): number {
  return codecFor(msg.type).encode(msg, into, offset);
}

/** Encodes `msg` into a new 128-byte array (allocates; see {@link encodeMsgInto}). */
export function encodeMsg(msg: Msg): Uint8Array {
  const bytes = new Uint8Array(MSG_SIZE);
  encodeMsgInto(msg, bytes, 0);
  return bytes;
}

/**
 * Decodes the message at `offset`. RangeError if fewer than 128 bytes remain; otherwise a typed
 * message or a {@link ProtocolError} naming the field that is malformed.
 */
export function decodeMsgAt(from: Uint8Array, offset = 0): Msg {
  const type = messageView(from, offset, 'decode').getUint16(0, true);
  return codecFor(type).decode(from, offset);
}

/**
 * Decodes one received datagram. Anything but exactly 128 bytes is a protocol error, as every memif
 * peer treats it ("Invalid message size").
 */
export function decodeMsg(datagram: Uint8Array): Msg {
  if (datagram.length !== MSG_SIZE) {
    throw new ProtocolError('ERR_MEMIF_MSG_SIZE', `a memif message is exactly ${MSG_SIZE} bytes, got ${datagram.length}`, 'size');
  }
  return decodeMsgAt(datagram, 0);
}
