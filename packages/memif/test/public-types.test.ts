import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const types = fileURLToPath(new URL('../dist/index.d.ts', import.meta.url));

it('publishes types without internal members or classes (run after the build)', () => {
  expect(existsSync(types), `${types} is missing: build the package first (pnpm test does)`).toBe(true);
  const text = readFileSync(types, 'utf8');
  expect(text).not.toContain('@internal');
  for (const member of ['adopt(', 'linkUp(', 'linkDown(', 'refused(', 'busy(', 'readable(queue', 'sendMany(']) {
    expect(text, member).not.toContain(member);
  }
  for (const internal of ['ListenerClient', 'MasterLink', 'SlaveLink', 'declare class Link', 'SendScheduler', 'BurstIterator']) {
    expect(text, internal).not.toContain(internal);
  }
  for (const api of [
    'send(frame: Uint8Array',
    'frames(queue?: number',
    'bursts(queue?: number',
    '[Symbol.asyncDispose]()',
    'lastError',
    'unref(): this',
    'ref(): this',
    'hasRef(): boolean',
  ]) {
    expect(text, api).toContain(api);
  }
});
