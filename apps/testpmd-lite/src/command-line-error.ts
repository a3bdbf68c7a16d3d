const marker = Symbol.for('testpmd-lite.CommandLineError');

/** Which half of the command line was wrong: EAL options (before `--`) or testpmd's (after). */
export type CommandLineSection = 'eal' | 'app';

/**
 * A command line testpmd-lite cannot run with. `message` says what is wrong in dpdk-testpmd's
 * wording; `cause` is the one-line reason dpdk-testpmd prints after "EAL: Error - exiting".
 */
export class CommandLineError extends Error {
  readonly code = 'ERR_TESTPMD_COMMAND_LINE';
  readonly section: CommandLineSection;
  /** The option at fault, e.g. `--burst` or `-l`. */
  readonly option: string;
  /** Whether the usage text should follow the message, as getopt errors do in dpdk-testpmd. */
  readonly showUsage: boolean;
  private readonly [marker] = true;

  constructor(section: CommandLineSection, option: string, message: string, showUsage = false) {
    super(message);
    this.name = 'CommandLineError';
    this.section = section;
    this.option = option;
    this.showUsage = showUsage;
  }

  /** The "Cause:" line dpdk-testpmd prints for this kind of failure. */
  get exitCause(): string {
    if (!this.showUsage) return this.message;
    return this.section === 'eal' ? 'Cannot init EAL: Invalid argument' : 'Command line is incomplete or incorrect';
  }

  static isInstance(value: unknown): value is CommandLineError {
    return typeof value === 'object' && value !== null && marker in value;
  }
}
