import { describe, expect, it } from 'vitest';
import { hostIndexStores } from './host-index-stores.ts';

describe('hostIndexStores', () => {
  it('publishes with plain stores only on x86-64, whose stores are release stores in hardware', () => {
    expect(hostIndexStores('x64')).toBe('plain-release-tso');
  });

  it('keeps the fenced store on weakly ordered and unknown CPUs', () => {
    for (const arch of ['arm64', 'arm', 'ppc64', 'riscv64', 's390x', 'ia32', 'loong64', '']) {
      expect(hostIndexStores(arch)).toBe('fenced');
    }
  });

  it('decides from the running process by default', () => {
    expect(hostIndexStores()).toBe(process.arch === 'x64' ? 'plain-release-tso' : 'fenced');
  });
});
