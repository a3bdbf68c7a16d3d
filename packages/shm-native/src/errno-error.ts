import { getSystemErrorName } from 'node:util';

const marker = Symbol.for('@memif/shm-native/errno-error');

export interface ErrnoErrorDetails {
  /** The file or socket path involved, when there is one. */
  readonly path?: string | undefined;
  /** A sentence telling the caller what to do about it. */
  readonly hint?: string | undefined;
}

/**
 * A failed syscall, shaped like Node's own system errors: `errno` negative, `code` as
 * `util.getSystemErrorName` names it, `syscall`, and `path` when there is one. The message is
 * `<syscall> <CODE>[ <path>][: <hint>]`, e.g. "bind EADDRINUSE /tmp/x.sock".
 */
export class ErrnoError extends Error {
  readonly [marker] = true;
  readonly errno: number;
  readonly code: string;
  readonly syscall: string;
  readonly path?: string;

  constructor(errno: number, syscall: string, details: ErrnoErrorDetails = {}) {
    const code = getSystemErrorName(errno);
    const where = details.path === undefined ? '' : ` ${details.path}`;
    const hint = details.hint === undefined ? '' : `: ${details.hint}`;
    super(`${syscall} ${code}${where}${hint}`);
    this.name = 'ErrnoError';
    this.errno = errno;
    this.code = code;
    this.syscall = syscall;
    if (details.path !== undefined) this.path = details.path;
  }

  static isInstance(error: unknown): error is ErrnoError {
    return typeof error === 'object' && error !== null && marker in error;
  }

  /** Returns `result` when it is not negative; otherwise throws it as `-errno` of `syscall`. */
  static check(result: number, syscall: string, details?: ErrnoErrorDetails): number {
    if (result < 0) throw new ErrnoError(result, syscall, details);
    return result;
  }
}
