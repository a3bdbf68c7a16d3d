import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CommandLineError, type CommandLineSection } from './command-line-error.ts';

/** One option a {@link parseOptions} parse knows: its long name, its short letter, whether it takes a value. */
export interface OptionSpec {
  readonly long?: string;
  readonly short?: string;
  readonly hasArg: boolean;
}

/** One option found on the command line, named by its long name (or short letter if it has none). */
export interface ParsedOption {
  readonly name: string;
  /** How the user spelled it (`-l`, `--vdev`), for messages. */
  readonly spelling: string;
  readonly value: string | undefined;
}

/**
 * Splits `args` as glibc's getopt_long does for DPDK, with `util.parseArgs` doing the splitting:
 * `--name=value` or `--name value` for long options, `-lVALUE` or `-l VALUE` and bundled flags
 * (`-ia`) for short ones. Stops at the first non-option or at `--`; returns the options and the
 * index where parsing stopped. parseArgs runs non-strict so that the errors keep getopt's wording
 * (what dpdk-testpmd prints), with `program` as the prefix.
 */
export function parseOptions(
  args: readonly string[],
  specs: readonly OptionSpec[],
  program: string,
  section: CommandLineSection,
): { options: ParsedOption[]; next: number } {
  const byName = new Map<string, OptionSpec>();
  const config: NonNullable<ParseArgsConfig['options']> = {};
  for (const spec of specs) {
    const name = spec.long ?? spec.short ?? '';
    byName.set(name, spec);
    config[name] = { type: spec.hasArg ? 'string' : 'boolean', ...(spec.short === undefined ? {} : { short: spec.short }) };
  }
  const fail = (option: string, message: string): never => {
    throw new CommandLineError(section, option, `${program}: ${message}`, true);
  };
  const { tokens } = parseArgs({ args: [...args], options: config, strict: false, allowPositionals: true, tokens: true });
  const options: ParsedOption[] = [];
  for (const token of tokens) {
    if (token.kind === 'option-terminator') return { options, next: token.index + 1 };
    if (token.kind === 'positional') return { options, next: token.index };
    const spec = byName.get(token.name);
    const isLong = token.rawName.startsWith('--');
    // parseArgs also takes `--l` for a short-only option; getopt does not.
    const known = spec !== undefined && (isLong ? spec.long === token.name : spec.short !== undefined);
    if (!known) {
      if (isLong) fail(token.rawName, `unrecognized option '${token.rawName}'`);
      fail(token.rawName, `invalid option -- '${token.name}'`);
    }
    if (spec?.hasArg === false && token.value !== undefined) fail(token.rawName, `option '${token.rawName}' doesn't allow an argument`);
    if (spec?.hasArg === true && token.value === undefined) {
      if (isLong) fail(token.rawName, `option '${token.rawName}' requires an argument`);
      fail(token.rawName, `option requires an argument -- '${token.name}'`);
    }
    options.push({ name: token.name, spelling: token.rawName, value: token.value });
  }
  return { options, next: args.length };
}
