import { MSG_SIZE } from './constants.ts';
import { ProtocolError } from './protocol-error.ts';

// The codec must run in browsers, so it uses the host's TextEncoder/TextDecoder, typed locally
// because this package compiles without DOM or Node types.
interface HostTextEncoder {
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}
interface HostTextDecoder {
  decode(input: Uint8Array): string;
}
declare const TextEncoder: { new (): HostTextEncoder };
declare const TextDecoder: { new (label?: string): HostTextDecoder };

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

/** A little-endian view of exactly one message inside `bytes`, after a bounds check. */
export function messageView(bytes: Uint8Array, offset: number, purpose: 'decode' | 'encode'): DataView {
  if (!Number.isInteger(offset) || offset < 0 || bytes.length - offset < MSG_SIZE) {
    throw new RangeError(
      `cannot ${purpose} a memif message at offset ${offset}: it needs ${MSG_SIZE} bytes and ` +
        `${Math.max(0, bytes.length - (Number.isInteger(offset) ? offset : 0))} are available`,
    );
  }
  return new DataView(bytes.buffer, bytes.byteOffset + offset, MSG_SIZE);
}

/** Throws unless `value` is an integer that fits an unsigned field of `bits` bits. */
export function checkUint(value: number, bits: 8 | 16 | 32, field: string): void {
  const max = 2 ** bits - 1;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new ProtocolError(
      'ERR_MEMIF_FIELD_RANGE',
      `${field} must be an integer from 0 to ${max} (u${bits}), got ${String(value)}`,
      field,
    );
  }
}

/**
 * Writes `value` NUL-terminated and zero-padded into a `size`-byte field, so at most `size - 1`
 * bytes of UTF-8 fit. A NUL inside the value would silently cut it on the peer, so it is refused.
 */
export function writeString(bytes: Uint8Array, at: number, size: number, value: string, field: string): void {
  if (typeof value !== 'string') {
    throw new ProtocolError('ERR_MEMIF_FIELD_STRING', `${field} must be a string`, field);
  }
  if (value.includes('\0')) {
    throw new ProtocolError('ERR_MEMIF_FIELD_STRING', `${field} must not contain a NUL character`, field);
  }
  bytes.fill(0, at, at + size);
  let ascii = true;
  for (let i = 0; i < value.length && i < size; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0x80) {
      ascii = false;
      break;
    }
    bytes[at + i] = unit;
  }
  let written = value.length;
  if (!ascii) {
    const result = utf8Encoder.encodeInto(value, bytes.subarray(at, at + size));
    written = result.read < value.length ? size : result.written;
  }
  if (written > size - 1) {
    bytes.fill(0, at, at + size);
    throw new ProtocolError(
      'ERR_MEMIF_FIELD_STRING',
      `${field} is too long: at most ${size - 1} bytes of UTF-8 fit (the field is NUL-terminated)`,
      field,
    );
  }
}

/**
 * Reads a fixed-size string field up to its first NUL. A field with no NUL yields its first
 * `size - 1` bytes, as the peers' strlcpy does, so what we decode we can always encode again.
 */
export function readString(bytes: Uint8Array, at: number, size: number): string {
  let end = at;
  const limit = at + size - 1;
  while (end < limit && bytes[end] !== 0) end++;
  return utf8Decoder.decode(bytes.subarray(at, end));
}

const scratch = new Uint8Array(256);

/** Throws the same error {@link writeString} would, without a message to write into. */
export function checkString(value: string, size: number, field: string): void {
  writeString(scratch, 0, size, value, field);
}
