import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../src/parse-command-line.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const commandLines = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)]
  .flatMap((block) => (block[1] ?? '').split('\n'))
  .filter((line) => line.startsWith('apps/testpmd-lite/bin/testpmd-lite '))
  // Shell redirections and `&` are the shell's, not arguments.
  .map((line) =>
    line
      .split(/\s+/)
      .slice(1)
      .filter((word) => !/^(<|>|2>|&$)/.test(word)),
  );

describe('README', () => {
  it('has command lines, and each one parses', () => {
    expect(commandLines.length).toBeGreaterThanOrEqual(3);
    for (const argv of commandLines) expect(parseCommandLine(argv).vdevs).toHaveLength(1);
  });
});
