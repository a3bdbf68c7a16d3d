import fc from 'fast-check';
import type { RingView } from '../src/index.ts';
import { DescFlag } from '../src/index.ts';

/** What a hostile peer writes into one descriptor. */
export interface DescWrite {
  slot: number;
  flags: number;
  region: number;
  length: number;
  offset: number;
}

const u32 = fc.oneof(fc.nat(0xffffffff), fc.integer({ min: 0xffffff00, max: 0xffffffff }), fc.nat(2000));
export const descWrite = fc.record({
  slot: fc.nat(15),
  flags: fc.oneof(fc.constantFrom(0, DescFlag.Next), fc.nat(0xffff)),
  region: fc.oneof(fc.constantFrom(0, 1), fc.nat(0xffff)),
  length: fc.oneof(fc.nat(300), u32),
  offset: u32,
});
export const step = fc.record({
  writes: fc.array(descWrite, { maxLength: 6 }),
  index: fc.oneof(fc.nat(20), fc.nat(0xffff)),
  relative: fc.boolean(),
  max: fc.integer({ min: 1, max: 16 }),
  release: fc.boolean(),
});

/** Writes a hostile peer's descriptors into `ring`. */
export function apply(ring: RingView, writes: DescWrite[]): void {
  for (const w of writes) ring.writeDesc(w.slot & ring.mask, w.flags, w.region, w.length, w.offset);
}
