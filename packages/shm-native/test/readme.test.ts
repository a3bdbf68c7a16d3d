import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { uniqueName } from './helpers.ts';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const entry = join(packageRoot, 'src', 'index.ts');

describe('README', () => {
  it('runs the usage example and prints what it promises', () => {
    const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8');
    const example = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const script = join(tmpdir(), `${uniqueName('readme')}.mts`);
    writeFileSync(script, (example ?? '').replace("'@memif/shm-native'", JSON.stringify(entry)));
    try {
      const output = execFileSync(process.execPath, ['--import', 'tsx', script], {
        cwd: packageRoot,
        encoding: 'utf8',
        timeout: 15_000,
      });
      expect(output).toBe('4227328 sealed\n171\n');
    } finally {
      rmSync(script);
    }
  });
});
