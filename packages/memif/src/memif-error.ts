const marker = Symbol.for('@memif/memif.MemifError');

/** Stable codes of {@link MemifError}. */
export type MemifErrorCode =
  | 'ERR_MEMIF_INVALID_OPTION'
  | 'ERR_MEMIF_INVALID_DEVARGS'
  | 'ERR_MEMIF_SOCKET_IN_USE'
  | 'ERR_MEMIF_DUPLICATE_ID'
  | 'ERR_MEMIF_NOT_CONNECTED'
  | 'ERR_MEMIF_CLOSED'
  | 'ERR_MEMIF_PEER'
  | 'ERR_MEMIF_PEER_NOT_ALLOWED'
  | 'ERR_MEMIF_FRAME_TOO_LARGE'
  | 'ERR_MEMIF_UNSUPPORTED_PLATFORM';

/**
 * The one error class of this package for domain problems: a bad option or devargs string, a
 * socket already used the wrong way, an operation on a closed interface, a misbehaving peer.
 * System call failures keep their Node-style errno errors.
 */
export class MemifError extends Error {
  readonly code: MemifErrorCode;
  /** The option or field at fault, when there is one. */
  readonly option: string | undefined;
  private readonly [marker] = true;

  constructor(code: MemifErrorCode, message: string, options?: { option?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MemifError';
    this.code = code;
    this.option = options?.option;
  }

  static isInstance(value: unknown): value is MemifError {
    return typeof value === 'object' && value !== null && marker in value;
  }
}
