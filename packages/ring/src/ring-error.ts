const marker = Symbol.for('@memif/ring/RingError');

/** Stable codes of {@link RingError}; callers branch on these, never on messages. */
export type RingErrorCode =
  | 'ERR_RING_BAD_CONFIG'
  | 'ERR_RING_REGION_TOO_SMALL'
  | 'ERR_RING_MISALIGNED'
  | 'ERR_RING_NOT_IDLE'
  | 'ERR_RING_NO_SLOT_BUFFERS'
  | 'ERR_RING_BAD_ARGUMENT'
  | 'ERR_RING_STALE_BATCH'
  | 'ERR_POOL_FOREIGN_BUFFER'
  | 'ERR_POOL_DOUBLE_FREE'
  | 'ERR_POOL_IN_FLIGHT';

/**
 * A mistake by our own caller (a bad configuration or a misuse of the API). Problems in data
 * written by the peer are never thrown: they are counted in {@link RingCounters}.
 */
export class RingError extends Error {
  readonly code: RingErrorCode;

  constructor(code: RingErrorCode, message: string) {
    super(message);
    this.name = 'RingError';
    this.code = code;
    Object.defineProperty(this, marker, { value: true });
  }

  /** True for a RingError from any copy of this package (instanceof fails across copies). */
  static isInstance(value: unknown): value is RingError {
    return typeof value === 'object' && value !== null && marker in value;
  }
}
