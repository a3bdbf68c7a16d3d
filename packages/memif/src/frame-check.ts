import { inspect } from 'node:util';
import { MemifError } from './memif-error.ts';

/**
 * A TypeError in Node's `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` style, so callers can
 * test `error.code` as they do for Node's own APIs.
 */
export class InvalidFrameError extends TypeError {
  readonly code: 'ERR_INVALID_ARG_TYPE' | 'ERR_INVALID_ARG_VALUE';

  constructor(code: 'ERR_INVALID_ARG_TYPE' | 'ERR_INVALID_ARG_VALUE', message: string) {
    super(message);
    this.name = 'TypeError';
    this.code = code;
  }
}

function describeReceived(value: unknown): string {
  if (value === null || value === undefined) return `Received ${String(value)}`;
  if (typeof value === 'function') return `Received function ${value.name || '<anonymous>'}`;
  if (typeof value === 'object') return `Received an instance of ${value.constructor?.name ?? 'Object'}`;
  const shown = inspect(typeof value === 'string' && value.length > 25 ? `${value.slice(0, 25)}...` : value);
  return `Received type ${typeof value} (${shown})`;
}

/**
 * Throws unless `frame` can be sent: a Uint8Array (a Buffer is one) of at least one byte and,
 * when the ring's limit is known, at most `maxLength` bytes. Without this a string or number
 * would publish a zero-length descriptor and turn the byte counter into NaN.
 */
export function checkFrame(frame: unknown, maxLength = Number.POSITIVE_INFINITY, name = 'frame'): asserts frame is Uint8Array {
  if (!(frame instanceof Uint8Array)) {
    throw new InvalidFrameError(
      'ERR_INVALID_ARG_TYPE',
      `The "${name}" argument must be an instance of Buffer or Uint8Array. ${describeReceived(frame)}`,
    );
  }
  if (frame.byteLength === 0) {
    throw new InvalidFrameError('ERR_INVALID_ARG_VALUE', `The argument '${name}' is empty. A frame holds at least 1 byte.`);
  }
  if (frame.byteLength > maxLength) {
    throw new MemifError(
      'ERR_MEMIF_FRAME_TOO_LARGE',
      `a frame of ${frame.byteLength} bytes can never fit this ring: at most ${maxLength} bytes per frame`,
    );
  }
}

/** {@link checkFrame} for `frames[0..count)`, naming the index of the first bad one. */
export function checkFrames(frames: readonly unknown[], count: number, maxLength = Number.POSITIVE_INFINITY): void {
  if (!Array.isArray(frames)) {
    throw new InvalidFrameError(
      'ERR_INVALID_ARG_TYPE',
      `The "frames" argument must be an Array of Uint8Array. ${describeReceived(frames)}`,
    );
  }
  if (!Number.isInteger(count) || count < 0 || count > frames.length) {
    throw new InvalidFrameError(
      'ERR_INVALID_ARG_VALUE',
      `The argument 'count' must be an integer from 0 to frames.length (${frames.length}). Received ${String(count)}`,
    );
  }
  for (let i = 0; i < count; i++) {
    const frame = frames[i];
    // The burst path runs this per frame: the error's wording (a string per frame) only on failure.
    if (!(frame instanceof Uint8Array) || frame.byteLength === 0 || frame.byteLength > maxLength)
      checkFrame(frame, maxLength, `frames[${i}]`);
  }
}
