import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './usage-error.ts';

type OptionSpecs = NonNullable<ParseArgsConfig['options']>;
type Parsed<T extends OptionSpecs> = ReturnType<typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: true }>>;

/**
 * node:util parseArgs in strict mode, with its TypeErrors (unknown flag, missing value, flag
 * given a value it does not take) turned into {@link UsageError}s that name the command.
 */
export function parseCommandLine<const T extends OptionSpecs>(args: readonly string[], options: T): Parsed<T> {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError((error as Error).message);
    }
    throw error;
  }
}

/**
 * A numeric flag value, checked against its range; the error names the flag and what is
 * allowed. `undefined` stays undefined so callers can apply their default.
 */
export function numberFlag(
  value: string | undefined,
  flag: string,
  range: { min: number; max: number; integer?: boolean },
): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  const integer = range.integer === true;
  if (
    value.trim() === '' ||
    !Number.isFinite(number) ||
    (integer && !Number.isInteger(number)) ||
    number < range.min ||
    number > range.max
  ) {
    throw new UsageError(`${flag} must be ${integer ? 'an integer' : 'a number'} from ${range.min} to ${range.max}, got '${value}'`);
  }
  return number;
}
