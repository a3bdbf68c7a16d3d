import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type NativeBinding, retainFreedMemory } from '../src/index.ts';

const indexUrl = new URL('../src/index.ts', import.meta.url).href;
const tsx = fileURLToPath(new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url));

describe('retainFreedMemory', () => {
  it('sets glibc mallopt knobs (in a child process: they are process-wide)', { timeout: 60_000 }, () => {
    const script = `import { retainFreedMemory } from ${JSON.stringify(indexUrl)};
      console.log(retainFreedMemory({ trimThreshold: 32 << 20, topPad: 1 << 20 }));
      // Many short-lived 48 KiB ArrayBuffers, as frames() allocates: still correct memory.
      let sum = 0;
      for (let i = 0; i < 20000; i++) { const b = new Uint8Array(48000); b[i % 48000] = 1; sum += b[i % 48000]; }
      console.log(sum);`;
    const out = execFileSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(out.trim().split('\n')).toEqual(['true', '20000']);
  });

  it('refuses values mallopt cannot take, naming them', () => {
    expect(() => retainFreedMemory({ trimThreshold: -1, topPad: 0 })).toThrow(/trimThreshold/);
    expect(() => retainFreedMemory({ trimThreshold: 0, topPad: 2 ** 31 })).toThrow(/topPad/);
    expect(() => retainFreedMemory({ trimThreshold: 1.5, topPad: 0 })).toThrow(/trimThreshold/);
  });

  it('says false on a C library without mallopt, and reports a refusal as an errno error', () => {
    const noMallopt = { mallocRetainFreed: () => -38 } as unknown as NativeBinding;
    expect(retainFreedMemory({ trimThreshold: 1, topPad: 1, binding: noMallopt })).toBe(false);
    const refusing = { mallocRetainFreed: () => -22 } as unknown as NativeBinding;
    expect(() => retainFreedMemory({ trimThreshold: 1, topPad: 1, binding: refusing })).toThrow(
      expect.objectContaining({ code: 'EINVAL', syscall: 'mallopt' }),
    );
  });
});
