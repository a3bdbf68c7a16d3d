import { describe, expect, it } from 'vitest';
import { DescFlag, descFlagsToString, RingError, RingFlag, RingType, ringFlagsToString, ringTypeToString } from '../src/index.ts';

describe('RingError', () => {
  it('carries a stable code and is recognised across package copies by its Symbol.for marker', () => {
    const error = new RingError('ERR_RING_BAD_CONFIG', 'bad');
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('ERR_RING_BAD_CONFIG');
    expect(error.name).toBe('RingError');
    expect(RingError.isInstance(error)).toBe(true);
    const foreign = Object.assign(new Error('x'), { [Symbol.for('@memif/ring/RingError')]: true });
    expect(RingError.isInstance(foreign)).toBe(true);
    expect(RingError.isInstance(new Error('x'))).toBe(false);
    expect(RingError.isInstance(null)).toBe(false);
  });
});

describe('constant tables', () => {
  it('name known and unknown values without throwing', () => {
    expect(ringTypeToString(RingType.S2M)).toBe('S2M');
    expect(ringTypeToString(RingType.M2S)).toBe('M2S');
    expect(ringTypeToString(7)).toBe('unknown(7)');
    expect(ringFlagsToString(RingFlag.MaskInt)).toBe('MASK_INT');
    expect(ringFlagsToString(0)).toBe('0');
    expect(ringFlagsToString(0x8001)).toBe('MASK_INT|unknown(0x8000)');
    expect(descFlagsToString(DescFlag.Next)).toBe('NEXT');
    expect(descFlagsToString(6)).toBe('unknown(0x6)');
  });
});
