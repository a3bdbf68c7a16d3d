import { describe, expect, it } from 'vitest';
import { CommandLineError } from './command-line-error.ts';
import { type OptionSpec, parseOptions } from './parse-options.ts';

const SPECS: readonly OptionSpec[] = [
  { long: 'vdev', hasArg: true },
  { short: 'l', hasArg: true },
  { long: 'interactive', short: 'i', hasArg: false },
  { long: 'auto-start', short: 'a', hasArg: false },
];

const parse = (args: string[]) => parseOptions(args, SPECS, 'prog', 'eal');

describe('parseOptions', () => {
  it('unbundles short flags, and a value-taking letter takes the rest of its word', () => {
    expect(parse(['-ial0-1'])).toEqual({
      options: [
        { name: 'interactive', spelling: '-i', value: undefined },
        { name: 'auto-start', spelling: '-a', value: undefined },
        { name: 'l', spelling: '-l', value: '0-1' },
      ],
      next: 1,
    });
  });

  it('takes the next word as a value even when it looks like an option, as getopt does', () => {
    expect(parse(['--vdev', '--', '-l', '-i']).options.map((o) => o.value)).toEqual(['--', '-i']);
  });

  it('stops at the first non-option or after --', () => {
    expect(parse(['-i', 'word', '-a']).next).toBe(1);
    expect(parse(['-i', '--', '-a']).next).toBe(2);
    expect(parse(['-i', '-']).next).toBe(1);
  });

  it('refuses a short-only option spelled long', () => {
    expect(() => parse(['--l', '3'])).toThrow(new CommandLineError('eal', '--l', "prog: unrecognized option '--l'", true));
  });
});
