import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { describeNeutralBundle } from '../../../tools/neutral-bundle-test.ts';

describeNeutralBundle<typeof import('../src/index.ts')>(fileURLToPath(new URL('..', import.meta.url)), (mod) => {
  const bytes = mod.encodeMsg({ type: mod.MsgType.Connect, ifName: 'net_memif0' });
  expect(mod.decodeMsg(bytes)).toEqual({ type: 6, ifName: 'net_memif0' });
});
