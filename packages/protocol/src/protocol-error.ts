const marker = Symbol.for('@memif/protocol.ProtocolError');

/** Stable codes of {@link ProtocolError}; callers switch on these, never on messages. */
export type ProtocolErrorCode =
  | 'ERR_MEMIF_MSG_SIZE'
  | 'ERR_MEMIF_MSG_TYPE'
  | 'ERR_MEMIF_FIELD_RANGE'
  | 'ERR_MEMIF_FIELD_STRING'
  | 'ERR_MEMIF_HANDSHAKE_STATE'
  | 'ERR_MEMIF_CONFIG';

/**
 * Everything this package throws for bad input: a malformed message from a peer, a value that does
 * not fit its wire field, or a handshake call made in the wrong state. `field` names the offending
 * field when there is one.
 */
export class ProtocolError extends Error {
  readonly code: ProtocolErrorCode;
  readonly field: string | undefined;
  private readonly [marker] = true;

  constructor(code: ProtocolErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'ProtocolError';
    this.code = code;
    this.field = field;
  }

  /** True for a ProtocolError from any copy of this package (no `instanceof` hazard). */
  static isInstance(value: unknown): value is ProtocolError {
    return typeof value === 'object' && value !== null && marker in value;
  }
}
