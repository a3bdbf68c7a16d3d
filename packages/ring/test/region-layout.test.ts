import { describe, expect, it } from 'vitest';
import { RegionLayout, RingError, RingType, ringBytes } from '../src/index.ts';

// Every expected number below was worked out by hand from spec §2.2–2.4.
describe('RegionLayout', () => {
  it('matches the DPDK client default example (4 227 328 bytes)', () => {
    const layout = new RegionLayout({ numS2mRings: 1, numM2sRings: 1, log2RingSize: 10, bufferSize: 2048 });
    expect(layout.ringBytes).toBe(16512);
    expect(layout.ringOffset(RingType.S2M, 0)).toBe(0);
    expect(layout.ringOffset(RingType.M2S, 0)).toBe(16512);
    expect(layout.bufferOffset).toBe(33024);
    expect(layout.slotOffset(RingType.S2M, 0, 0)).toBe(33024);
    expect(layout.slotOffset(RingType.S2M, 0, 7)).toBe(33024 + 7 * 2048);
    expect(layout.slotOffset(RingType.M2S, 0, 0)).toBe(2130176);
    expect(layout.regionSizes).toEqual([4227328]);
    expect(layout.bufferRegion).toBe(0);
  });

  it('handles rsize 1 with bsize 64', () => {
    const layout = new RegionLayout({ numS2mRings: 1, numM2sRings: 1, log2RingSize: 1, bufferSize: 64 });
    expect(layout.ringBytes).toBe(160);
    expect(layout.ringOffset(RingType.M2S, 0)).toBe(160);
    expect(layout.bufferOffset).toBe(320);
    expect(layout.slotOffset(RingType.S2M, 0, 1)).toBe(384);
    expect(layout.slotOffset(RingType.M2S, 0, 1)).toBe(512);
    expect(layout.regionSizes).toEqual([576]);
  });

  it('handles rsize 14 with bsize 65535 in full numbers', () => {
    const layout = new RegionLayout({ numS2mRings: 1, numM2sRings: 1, log2RingSize: 14, bufferSize: 65535 });
    expect(layout.ringBytes).toBe(262272);
    expect(layout.bufferOffset).toBe(524544);
    expect(layout.slotOffset(RingType.M2S, 0, 16383)).toBe(2147909889);
    expect(layout.regionSizes).toEqual([2147975424]);
  });

  it('places several queue pairs without the u16 slot overflow of spec §7.12', () => {
    const layout = new RegionLayout({ numS2mRings: 4, numM2sRings: 4, log2RingSize: 14, bufferSize: 2048 });
    expect(layout.ringOffset(RingType.S2M, 3)).toBe(3 * 262272);
    expect(layout.ringOffset(RingType.M2S, 3)).toBe(1835904);
    expect(layout.bufferOffset).toBe(2098176);
    // slot index (4 + 2)·16384 + 5 = 98309 > 65535: a u16 would wrap to 32773.
    expect(layout.slotOffset(RingType.M2S, 2, 5)).toBe(203435008);
    expect(layout.regionSizes).toEqual([270533632]);
  });

  it('puts S2M rings first with unequal counts', () => {
    const layout = new RegionLayout({ numS2mRings: 2, numM2sRings: 1, log2RingSize: 2, bufferSize: 100 });
    expect(layout.ringBytes).toBe(192);
    expect(layout.ringOffset(RingType.S2M, 1)).toBe(192);
    expect(layout.ringOffset(RingType.M2S, 0)).toBe(384);
    expect(layout.bufferOffset).toBe(576);
    expect(layout.slotOffset(RingType.S2M, 1, 3)).toBe(1276);
    expect(layout.slotOffset(RingType.M2S, 0, 2)).toBe(1576);
    expect(layout.regionSizes).toEqual([1776]);
  });

  it('supports the libmemif separate buffer region', () => {
    const layout = new RegionLayout({
      numS2mRings: 1,
      numM2sRings: 1,
      log2RingSize: 10,
      bufferSize: 2048,
      bufferPlacement: 'separateRegion',
    });
    expect(layout.regionSizes).toEqual([33024, 4194304]);
    expect(layout.bufferRegion).toBe(1);
    expect(layout.slotOffset(RingType.S2M, 0, 0)).toBe(0);
    expect(layout.slotOffset(RingType.M2S, 0, 0)).toBe(2097152);
    expect(layout.slotBuffers(RingType.M2S, 0)).toMatchObject({ region: 1, capacity: 2048 });
  });

  it('supports a cache line of 128', () => {
    const layout = new RegionLayout({ numS2mRings: 1, numM2sRings: 1, log2RingSize: 10, bufferSize: 2048, cacheLine: 128 });
    expect(ringBytes(10, 128)).toBe(16640);
    expect(layout.ringOffset(RingType.M2S, 0)).toBe(16640);
    expect(layout.bufferOffset).toBe(33280);
    expect(layout.regionSizes).toEqual([4227584]);
  });

  it('has rings only for zero-copy (DPDK zero-copy region 0 is 33 024 bytes)', () => {
    const layout = new RegionLayout({ numS2mRings: 1, numM2sRings: 1, log2RingSize: 10, bufferSize: 2048, bufferPlacement: 'none' });
    expect(layout.regionSizes).toEqual([33024]);
    expect(layout.bufferRegion).toBe(-1);
    expect(() => layout.slotBuffers(RingType.S2M, 0)).toThrow(/no copy-mode buffers/);
  });

  it('rejects bad configurations with RingError', () => {
    const base = { numS2mRings: 1, numM2sRings: 1, log2RingSize: 10, bufferSize: 2048 };
    for (const bad of [
      { log2RingSize: 0 },
      { log2RingSize: 16 },
      { bufferSize: 0 },
      { bufferSize: 65536 },
      { numS2mRings: 256 },
      { numS2mRings: 0, numM2sRings: 0 },
      { cacheLine: 48 },
    ]) {
      let caught: unknown;
      try {
        new RegionLayout({ ...base, ...bad });
      } catch (error) {
        caught = error;
      }
      expect(RingError.isInstance(caught)).toBe(true);
      expect((caught as RingError).code).toBe('ERR_RING_BAD_CONFIG');
    }
    expect(() => new RegionLayout(base).ringOffset(RingType.M2S, 1)).toThrow(RingError);
  });

  it('refuses buffers beyond the u32 descriptor offset', () => {
    expect(() => new RegionLayout({ numS2mRings: 8, numM2sRings: 8, log2RingSize: 14, bufferSize: 65535 })).toThrow(/u32/);
  });
});
