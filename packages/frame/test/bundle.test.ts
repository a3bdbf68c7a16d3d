import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { describeNeutralBundle } from '../../../tools/neutral-bundle-test.ts';

describeNeutralBundle<typeof import('../src/index.ts')>(fileURLToPath(new URL('..', import.meta.url)), (mod) => {
  expect(mod.formatIpv4(mod.parseIpv4('198.18.0.1') ?? 0)).toBe('198.18.0.1');
  expect(mod.internetChecksum(Uint8Array.of(0xff, 0xff))).toBe(0);
});
