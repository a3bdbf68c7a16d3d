const marker = Symbol.for('@memif/cli.CommandFailure');

/**
 * The command ran but could not do its job: nothing listens on the socket, the peer refused us,
 * the interface never connected, a file cannot be read. `main` prints the message (and the hint)
 * and exits with 1.
 */
export class CommandFailure extends Error {
  readonly code = 'ERR_MEMIF_CLI_FAILED';
  /** What the user can try, printed on its own line. */
  readonly hint: string | undefined;
  private readonly [marker] = true;

  constructor(message: string, options?: { hint?: string | undefined; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CommandFailure';
    this.hint = options?.hint;
  }

  static isInstance(value: unknown): value is CommandFailure {
    return typeof value === 'object' && value !== null && marker in value;
  }
}
