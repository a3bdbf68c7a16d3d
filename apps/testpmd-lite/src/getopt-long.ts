import { CommandLineError, type CommandLineSection } from './command-line-error.ts';

/** One option a {@link getoptLong} parse knows: its long name, its short letter, whether it takes a value. */
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
 * Splits `args` the way glibc's getopt_long does for DPDK: `--name=value` or `--name value` for
 * long options, `-lVALUE` or `-l VALUE` and bundled flags (`-ia`) for short ones. Stops at the
 * first non-option or at `--`; returns the options and the index where parsing stopped. Errors
 * use getopt's wording with `program` as the prefix.
 */
export function getoptLong(
  args: readonly string[],
  specs: readonly OptionSpec[],
  program: string,
  section: CommandLineSection,
): { options: ParsedOption[]; next: number } {
  const byLong = new Map<string, OptionSpec>();
  const byShort = new Map<string, OptionSpec>();
  for (const spec of specs) {
    if (spec.long !== undefined) byLong.set(spec.long, spec);
    if (spec.short !== undefined) byShort.set(spec.short, spec);
  }
  const fail = (option: string, message: string): never => {
    throw new CommandLineError(section, option, `${program}: ${message}`, true);
  };
  const options: ParsedOption[] = [];
  let index = 0;
  while (index < args.length) {
    const arg = args[index] as string;
    if (arg === '--') return { options, next: index + 1 };
    if (!arg.startsWith('-') || arg === '-') break;
    index++;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const spec = byLong.get(name);
      if (spec === undefined) fail(`--${name}`, `unrecognized option '${eq < 0 ? arg : arg.slice(0, eq)}'`);
      const found = spec as OptionSpec;
      let value: string | undefined;
      if (!found.hasArg) {
        if (eq >= 0) fail(`--${name}`, `option '--${name}' doesn't allow an argument`);
      } else if (eq >= 0) {
        value = arg.slice(eq + 1);
      } else {
        if (index >= args.length) fail(`--${name}`, `option '--${name}' requires an argument`);
        value = args[index++];
      }
      options.push({ name, spelling: `--${name}`, value });
      continue;
    }
    // A cluster of short options: flags may be bundled; one taking a value ends the cluster.
    for (let at = 1; at < arg.length; at++) {
      const letter = arg[at] as string;
      const spec = byShort.get(letter);
      if (spec === undefined) fail(`-${letter}`, `invalid option -- '${letter}'`);
      const found = spec as OptionSpec;
      const name = found.long ?? letter;
      if (!found.hasArg) {
        options.push({ name, spelling: `-${letter}`, value: undefined });
        continue;
      }
      let value: string | undefined = arg.slice(at + 1);
      if (value === '') {
        if (index >= args.length) fail(`-${letter}`, `option requires an argument -- '${letter}'`);
        value = args[index++];
      }
      options.push({ name, spelling: `-${letter}`, value });
      break;
    }
  }
  return { options, next: index };
}
