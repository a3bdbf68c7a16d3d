import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import * as ring from '../src/index.ts';

describe('README', () => {
  it('runs the usage example', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = /## Usage[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const body = example!.replace(/import\s*\{([\s\S]*?)\}\s*from\s*'@memif\/ring';/, 'const {$1} = ring;');
    const log = vi.fn();
    new Function('ring', 'console', body)(ring, { log });
    expect(log).toHaveBeenCalledWith({ sent: 1, signal: true, got: 1, length: 1500, copy: new Uint8Array([1, 2, 3]), drops: 0 });
  });
});
