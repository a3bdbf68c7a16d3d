const marker = Symbol.for('@memif/cli.UsageError');

/**
 * A command line that cannot run as written: an unknown flag, a bad value, a missing argument.
 * The message says what to fix; `main` prints it with a pointer to `--help` and exits with 2.
 */
export class UsageError extends Error {
  readonly code = 'ERR_MEMIF_CLI_USAGE';
  private readonly [marker] = true;

  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }

  static isInstance(value: unknown): value is UsageError {
    return typeof value === 'object' && value !== null && marker in value;
  }
}
