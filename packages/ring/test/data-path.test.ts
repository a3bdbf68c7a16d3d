import { describe, expect, it } from 'vitest';
import {
  DescFlag,
  initializeRegion,
  MEMIF_COOKIE,
  ReceiveBatch,
  RegionLayout,
  RingFlag,
  RingView,
  SlaveReceiver,
  SlaveTransmitter,
  verifyRing,
} from '../src/index.ts';
import { makeFrame, makePair } from './helpers.ts';

describe('connect-time set-up', () => {
  it('initialises every header and descriptor as the slave must', () => {
    const { layout, regions, s2m, m2s } = makePair({ log2RingSize: 2, bufferSize: 100 });
    expect(s2m.cookie).toBe(MEMIF_COOKIE);
    expect(m2s.cookie).toBe(MEMIF_COOKIE);
    const bytes = new DataView(regions[0]!.buffer);
    expect(bytes.getUint32(0, true)).toBe(0x03e31f20);
    // S2M slot 2 descriptor at 2C + 16·2 of ring 0: region 0, length 100, offset from §2.4.
    const desc = 128 + 32;
    expect(bytes.getUint16(desc, true)).toBe(0);
    expect(bytes.getUint16(desc + 2, true)).toBe(0);
    expect(bytes.getUint32(desc + 4, true)).toBe(100);
    expect(bytes.getUint32(desc + 8, true)).toBe(layout.bufferOffset + 2 * 100);
    expect(bytes.getUint32(desc + 12, true)).toBe(0);
  });

  it('lets the master verify rings from ADD_RING data', () => {
    const { regions, layout } = makePair({ log2RingSize: 10, bufferSize: 2048 });
    expect(verifyRing(regions, { region: 0, offset: 0, log2RingSize: 10 })).toEqual({ ok: true });
    expect(verifyRing(regions, { region: 0, offset: layout.ringBytes, log2RingSize: 10 })).toEqual({ ok: true });
    const reasons = [
      verifyRing(regions, { region: 1, offset: 0, log2RingSize: 10 }),
      verifyRing(regions, { region: 0, offset: 4, log2RingSize: 10 }),
      verifyRing(regions, { region: 0, offset: 0, log2RingSize: 16 }),
      verifyRing(regions, { region: 0, offset: 0, log2RingSize: 0 }),
      verifyRing(regions, { region: 0, offset: 64, log2RingSize: 10 }),
      verifyRing(regions, { region: 0, offset: regions[0]!.byteLength - 8, log2RingSize: 10 }),
      // VPP ring-size 32768: ADD_RING says 15 while the layout used 14 (spec §7.13).
      verifyRing([regions[0]!.subarray(0, 2 * layout.ringBytes)], { region: 0, offset: layout.ringBytes, log2RingSize: 15 }),
    ];
    for (const result of reasons) expect(result.ok).toBe(false);
    expect(reasons.map((r) => (r.ok ? '' : r.reason))).toMatchInlineSnapshot(`
      [
        "ring region 1 is not one of the 1 mapped regions",
        "ring offset 4 is not a multiple of 8",
        "ring log2 size 16 outside 1..15",
        "ring log2 size 0 outside 1..15",
        "ring cookie 0x0 is not 0x3e31f20",
        "ring at 4227320 + 16512 bytes overruns region 0 of 4227328 bytes",
        "ring at 16512 + 524416 bytes overruns region 0 of 33024 bytes",
      ]
    `);
  });

  it('refuses a misaligned ring view', () => {
    const region = new Uint8Array(4096);
    expect(() => new RingView(region, 4, 2)).toThrow(/aligned/);
    expect(() => new RingView(region, 0, 10)).toThrow(/needs/);
  });

  it('publishes indices with either store kind, at the same header words, and refuses an unknown kind', () => {
    for (const indexStores of ['fenced', 'plain-release-tso'] as const) {
      const region = new Uint8Array(4096);
      const ring = new RingView(region, 0, 2, 64, { indexStores });
      expect(ring.indexStores).toBe(indexStores);
      ring.storeHead(0x1_2345);
      ring.storeTail(65535);
      const words = new DataView(region.buffer);
      // head at byte 6 of the first cache line, tail at the start of the second (spec §2.3).
      expect([words.getUint16(6, true), words.getUint16(64, true)]).toEqual([0x2345, 65535]);
      expect([ring.loadHead(), ring.loadTail()]).toEqual([0x2345, 65535]);
    }
    expect(new RingView(new Uint8Array(4096), 0, 2).indexStores).toBe('fenced');
    const region = new Uint8Array(4096);
    expect(() => new RingView(region, 0, 2, 64, { indexStores: 'relaxed' as 'fenced' })).toThrow(
      "indexStores must be 'fenced' or 'plain-release-tso', got relaxed",
    );
  });

  it('initialises the libmemif separate-region layout', () => {
    const layout = new RegionLayout({ numS2mRings: 1, numM2sRings: 2, log2RingSize: 1, bufferSize: 10, bufferPlacement: 'separateRegion' });
    const regions = layout.regionSizes.map((size) => new Uint8Array(size));
    const { m2s } = initializeRegion(layout, regions);
    expect(m2s[1]!.descRegion(1)).toBe(1);
    expect(m2s[1]!.descOffset(1)).toBe((2 * 2 + 1) * 10);
    expect(() => initializeRegion(layout, [regions[0]!])).toThrow(/region 1 holds 0 bytes/);
  });
});

describe('S2M: slave transmits, master receives', () => {
  it('chains a frame longer than one buffer, filling each slot, and delivers it whole', () => {
    const { s2m, slaveTx, masterRx } = makePair({ bufferSize: 1024, log2RingSize: 3 });
    const frame = makeFrame(1, 1500);
    expect(slaveTx.transmit([frame])).toBe(1);
    expect(s2m.loadHead()).toBe(2);
    expect(s2m.descLength(0)).toBe(1024);
    expect(s2m.descFlags(0)).toBe(DescFlag.Next);
    expect(s2m.descLength(1)).toBe(476);
    expect(s2m.descFlags(1)).toBe(0);
    const batch = new ReceiveBatch(4);
    expect(masterRx.receive(batch)).toBe(1);
    expect(batch.frameSegmentCount(0)).toBe(2);
    expect(batch.frameView(0)).toEqual(frame);
    masterRx.release();
    expect(s2m.loadTail()).toBe(2);
    // §7.1: consumed descriptors come back with flags cleared.
    expect(s2m.descFlags(0)).toBe(0);
  });

  it('stops a burst at the first frame that does not fit whole', () => {
    const { slaveTx, masterRx } = makePair({ bufferSize: 64, log2RingSize: 2 });
    const frames = [makeFrame(1, 64), makeFrame(2, 100), makeFrame(3, 100), makeFrame(4, 1)];
    expect(slaveTx.transmit(frames)).toBe(2);
    expect(slaveTx.freeSlots()).toBe(1);
    const batch = new ReceiveBatch(8);
    expect(masterRx.receive(batch)).toBe(2);
    masterRx.release();
    expect(slaveTx.transmit(frames, 2, 2)).toBe(2);
    expect(masterRx.receive(batch)).toBe(2);
    expect(batch.frameView(1)).toEqual(frames[3]);
  });

  it('keeps views valid until release and does not reuse held slots', () => {
    const { slaveTx, masterRx } = makePair({ bufferSize: 16, log2RingSize: 1 });
    expect(slaveTx.transmit([makeFrame(1, 16), makeFrame(2, 16)])).toBe(2);
    const batch = new ReceiveBatch(2);
    masterRx.receive(batch);
    expect(slaveTx.transmit([makeFrame(3, 16)])).toBe(0);
    expect(batch.frameView(0)).toEqual(makeFrame(1, 16));
    masterRx.release();
    expect(slaveTx.transmit([makeFrame(3, 16)])).toBe(1);
  });

  it('leaves a chain with NEXT on the last published slot for the next poll', () => {
    const { s2m, masterRx } = makePair({ bufferSize: 16, log2RingSize: 3 });
    s2m.writeDesc(0, DescFlag.Next, 0, 16, s2m.descOffset(0));
    s2m.writeDesc(1, 0, 0, 5, s2m.descOffset(1));
    s2m.storeHead(1);
    const batch = new ReceiveBatch(4);
    expect(masterRx.receive(batch)).toBe(0);
    expect(masterRx.counters.dropped).toBe(0);
    s2m.storeHead(2);
    expect(masterRx.receive(batch)).toBe(1);
    expect(batch.frameLength(0)).toBe(21);
  });

  it('builds frames in place through reserve / reservedSegment / publish and gathers', () => {
    const { slaveTx, masterRx } = makePair({ bufferSize: 8, log2RingSize: 3 });
    expect(slaveTx.reserve(12)).toBe(true);
    expect(slaveTx.reservedSegmentCount).toBe(2);
    slaveTx.reservedSegment(0).fill(1);
    slaveTx.reservedSegment(1).fill(2);
    expect(slaveTx.publish()).toBe(1);
    expect(slaveTx.transmitGather([new Uint8Array([9, 9, 9]), new Uint8Array(10).fill(5)])).toBe(true);
    const batch = new ReceiveBatch(4);
    expect(masterRx.receive(batch)).toBe(2);
    expect([...batch.frameView(0)]).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2]);
    expect([...batch.frameView(1)]).toEqual([9, 9, 9, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5]);
    const copy = new Uint8Array(20);
    expect(batch.copyFrame(1, copy, 2)).toBe(13);
    expect(batch.copyFrame(1, copy, 10)).toBe(-1);
  });

  it('honours the receiver MASK_INT on every burst', () => {
    const { slaveTx, masterRx, s2m } = makePair();
    expect(slaveTx.shouldNotify()).toBe(true);
    masterRx.setInterruptMasked(true);
    expect(s2m.loadFlags() & RingFlag.MaskInt).toBe(1);
    expect(slaveTx.shouldNotify()).toBe(false);
    masterRx.setInterruptMasked(false);
    expect(slaveTx.shouldNotify()).toBe(true);
  });

  it('splits at maxSegmentLength', () => {
    const { regions, s2m, layout } = makePair({ bufferSize: 4096, log2RingSize: 2 });
    const tx = new SlaveTransmitter({
      ring: s2m,
      regions,
      buffers: layout.slotBuffers(0, 0),
      maxSegmentLength: 2048,
    });
    expect(tx.transmit([makeFrame(1, 3000)])).toBe(1);
    expect(s2m.descLength(0)).toBe(2048);
    expect(s2m.descLength(1)).toBe(952);
  });
});

describe('M2S: slave posts, master transmits, slave receives', () => {
  it('drops a descriptor longer than the posted capacity and remembers its length (DPDK >= 23.03 masters)', () => {
    const { m2s, slaveRx } = makePair({ bufferSize: 1024, log2RingSize: 2 });
    expect(slaveRx.lastOversize).toEqual({ length: 0, capacity: 0 });
    m2s.writeDesc(0, 0, 0, 1500, m2s.descOffset(0));
    m2s.storeTail(1);
    const batch = new ReceiveBatch(2);
    expect(slaveRx.receive(batch)).toBe(0);
    expect(slaveRx.counters.badLength).toBe(1);
    expect(slaveRx.lastOversize).toEqual({ length: 1500, capacity: 1024 });
  });

  it('posts every slot with length = capacity and flags 0', () => {
    const { m2s, layout } = makePair({ bufferSize: 64, log2RingSize: 2 });
    expect(m2s.loadHead()).toBe(4);
    for (let slot = 0; slot < 4; slot++) {
      expect(m2s.descLength(slot)).toBe(64);
      expect(m2s.descFlags(slot)).toBe(0);
      expect(m2s.descOffset(slot)).toBe(layout.slotOffset(1, 0, slot));
    }
  });

  it('fills posted buffers up to their capacity, chains, and the slave reposts on release', () => {
    const { m2s, masterTx, slaveRx } = makePair({ bufferSize: 64, log2RingSize: 2 });
    const frame = makeFrame(7, 150);
    expect(masterTx.transmit([frame, makeFrame(8, 65)])).toBe(1);
    expect(m2s.loadTail()).toBe(3);
    expect(m2s.descFlags(0)).toBe(DescFlag.Next);
    expect(m2s.descLength(2)).toBe(22);
    const batch = new ReceiveBatch(4);
    expect(slaveRx.receive(batch)).toBe(1);
    expect(batch.frameView(0)).toEqual(frame);
    slaveRx.release();
    expect(m2s.loadHead()).toBe(7);
    expect(m2s.descFlags(0)).toBe(0);
    expect(m2s.descLength(0)).toBe(64);
  });

  it('honours a smaller posted capacity', () => {
    const { m2s, masterTx, slaveRx } = makePair({ bufferSize: 64, log2RingSize: 2 });
    for (let slot = 0; slot < 4; slot++) m2s.setDescLength(slot, 10);
    expect(masterTx.transmit([makeFrame(1, 25)])).toBe(1);
    expect([m2s.descLength(0), m2s.descLength(1), m2s.descLength(2)]).toEqual([10, 10, 5]);
    // The slave's private record says capacity 64, so 10-byte segments pass.
    const batch = new ReceiveBatch(4);
    expect(slaveRx.receive(batch)).toBe(1);
    expect(batch.frameView(0)).toEqual(makeFrame(1, 25));
  });

  it('checks each posted slot before writing', () => {
    const { m2s, masterTx } = makePair({ bufferSize: 64, log2RingSize: 2 });
    m2s.writeDesc(0, 0, 3, 64, 0);
    expect(masterTx.transmit([makeFrame(1, 10)])).toBe(0);
    expect(masterTx.counters.badRegion).toBe(1);
    m2s.writeDesc(0, 0, 0, 64, 0xfffffff0);
    expect(masterTx.transmit([makeFrame(1, 10)])).toBe(0);
    expect(masterTx.counters.badOffset).toBe(1);
    m2s.writeDesc(0, 0, 0, 0, 0);
    expect(masterTx.transmit([makeFrame(1, 10)])).toBe(0);
    expect(masterTx.counters.badLength).toBe(1);
    expect(m2s.loadTail()).toBe(0);
  });

  it('lets the slave set MASK_INT on its rx ring, read by the master transmitter', () => {
    const { masterTx, slaveRx } = makePair();
    slaveRx.setInterruptMasked(true);
    expect(masterTx.shouldNotify()).toBe(false);
  });

  it('counts a tail that passes head (VPP tx underflow, §7.14)', () => {
    const { m2s, slaveRx } = makePair({ log2RingSize: 2 });
    m2s.storeTail(5);
    expect(slaveRx.receive(new ReceiveBatch(4))).toBe(0);
    expect(slaveRx.counters.badIndex).toBe(1);
  });

  it('refuses a receiver on a ring that is not idle', () => {
    const { m2s, regions, layout } = makePair();
    expect(
      () =>
        new SlaveReceiver({
          ring: m2s,
          regions,
          buffers: layout.slotBuffers(1, 0),
        }),
    ).toThrow(/head = tail/);
  });
});

describe('a batch whose region is gone', () => {
  it('refuses to copy, view or forward its frames, instead of reading zeros from the stale views', () => {
    const { slaveTx, masterRx, regions } = makePair({ log2RingSize: 3, bufferSize: 256 });
    expect(slaveTx.transmit([makeFrame(1, 10), makeFrame(2, 200), makeFrame(3, 600)])).toBe(3);
    const batch = new ReceiveBatch(4);
    expect(masterRx.receive(batch)).toBe(3);
    const other = makePair({ log2RingSize: 3, bufferSize: 256 });
    // What unmapping does to a region: its ArrayBuffer is detached.
    const region = regions[0]!.buffer;
    structuredClone(region, { transfer: [region] });
    const stale = expect.objectContaining({ code: 'ERR_RING_STALE_BATCH', message: expect.stringMatching(/unmapped/) });
    for (let frame = 0; frame < 3; frame++) {
      expect(() => batch.copyFrame(frame, new Uint8Array(1000))).toThrow(stale);
      expect(() => batch.frameView(frame)).toThrow(stale);
    }
    expect(() => other.masterTx.transmitBatch(batch)).toThrow(stale);
    expect(() => other.slaveTx.transmitBatch(batch)).toThrow(stale);
    const received = new ReceiveBatch(4);
    expect(other.slaveRx.receive(received)).toBe(0);
    expect(other.masterRx.receive(received)).toBe(0);
  });
});
