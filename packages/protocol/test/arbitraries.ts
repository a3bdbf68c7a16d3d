import fc from 'fast-check';
import type { Msg } from '../src/index.ts';

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isWellFormed(s: string): boolean {
  try {
    return strictUtf8.decode(utf8.encode(s)) === s;
  } catch {
    return false;
  }
}

/** Strings that fit a NUL-terminated field of `size` bytes and survive a UTF-8 round trip. */
export function fieldString(size: number): fc.Arbitrary<string> {
  return fc
    .string({ unit: 'binary', maxLength: size - 1 })
    .filter((s) => !s.includes('\0') && isWellFormed(s) && utf8.encode(s).length <= size - 1);
}

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffff_ffff });

/** Any valid message of any type. */
export const anyMsg: fc.Arbitrary<Msg> = fc.oneof(
  fc.constant<Msg>({ type: 1 }),
  fc.record({
    type: fc.constant(2 as const),
    name: fieldString(32),
    minVersion: u16,
    maxVersion: u16,
    maxRegion: u16,
    maxM2sRing: u16,
    maxS2mRing: u16,
    maxLog2RingSize: u8,
  }),
  fc.record({
    type: fc.constant(3 as const),
    version: u16,
    id: u32,
    mode: fc.constantFrom(0 as const, 1 as const, 2 as const),
    secret: fieldString(24),
    name: fieldString(32),
  }),
  fc.record({
    type: fc.constant(4 as const),
    index: u16,
    size: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  }),
  fc.record({
    type: fc.constant(5 as const),
    flags: u16,
    index: u16,
    region: u16,
    offset: u32,
    log2RingSize: u8,
    privateHdrSize: u16,
  }),
  fc.record({ type: fc.constant(6 as const), ifName: fieldString(32) }),
  fc.record({ type: fc.constant(7 as const), ifName: fieldString(32) }),
  fc.record({ type: fc.constant(8 as const), code: u32, reason: fieldString(96) }),
);
