import { describe, expect, it } from 'vitest';
import {
  BufferPool,
  DescFlag,
  initializeRegion,
  MasterReceiver,
  MasterTransmitter,
  ReceiveBatch,
  RegionLayout,
  RingError,
  SlaveReceiver,
  SlaveTransmitter,
} from '../src/index.ts';
import { makeFrame } from './helpers.ts';

describe('BufferPool', () => {
  it('allocates, frees and runs dry', () => {
    const pool = new BufferPool({ region: new Uint8Array(1000), regionIndex: 1, bufferSize: 300 });
    expect(pool.count).toBe(3);
    const taken = [pool.alloc(), pool.alloc(), pool.alloc()];
    expect(taken).toEqual([0, 1, 2]);
    expect(pool.alloc()).toBe(-1);
    expect(pool.available).toBe(0);
    pool.free(1);
    expect(pool.available).toBe(1);
    expect(pool.alloc()).toBe(1);
    pool.free(2);
    expect(() => pool.free(2)).toThrow(expect.objectContaining({ code: 'ERR_POOL_DOUBLE_FREE' }));
    expect(() => pool.free(3)).toThrow(expect.objectContaining({ code: 'ERR_POOL_FOREIGN_BUFFER' }));
  });

  it('computes descriptor offsets from views and maps descriptors back', () => {
    const backing = new ArrayBuffer(4096);
    const region = new Uint8Array(backing, 1024, 2048);
    const pool = new BufferPool({ region, regionIndex: 1, bufferSize: 256, offset: 64, count: 4 });
    expect(pool.offsetOf(2)).toBe(64 + 512);
    const view = pool.view(2);
    expect(view.byteOffset - region.byteOffset).toBe(576);
    expect(pool.regionOffsetOf(view)).toBe(576);
    // Data after 14 bytes of headroom: the descriptor offset is the data's offset in the region.
    expect(pool.regionOffsetOf(view.subarray(14))).toBe(590);
    expect(pool.indexOfView(view.subarray(14, 20))).toBe(2);
    expect(pool.indexOfOffset(63)).toBe(-1);
    expect(pool.indexOfOffset(64 + 4 * 256)).toBe(-1);
    expect(pool.viewOf(1, 590, 10)?.byteOffset).toBe(1024 + 590);
    expect(pool.viewOf(0, 590, 10)).toBeUndefined();
    expect(pool.viewOf(1, 590, 300)).toBeUndefined();
    expect(() => pool.regionOffsetOf(new Uint8Array(10))).toThrow(RingError);
    expect(() => new BufferPool({ region, regionIndex: 1, bufferSize: 256, count: 9 })).toThrow(RingError);
  });
});

describe('zero-copy', () => {
  function setup() {
    const layout = new RegionLayout({ numS2mRings: 1, numM2sRings: 1, log2RingSize: 2, bufferSize: 2048, bufferPlacement: 'none' });
    const region0 = new Uint8Array(layout.regionSizes[0]!);
    const appRegion = new Uint8Array(16 * 512);
    const regions = [region0, appRegion];
    const { s2m, m2s } = initializeRegion(layout, regions);
    const txPool = new BufferPool({ region: appRegion, regionIndex: 1, bufferSize: 512, count: 8 });
    const rxPool = new BufferPool({ region: appRegion, regionIndex: 1, bufferSize: 512, offset: 8 * 512, count: 8 });
    return { regions, s2m: s2m[0]!, m2s: m2s[0]!, txPool, rxPool };
  }

  it('transmits pooled buffers writing only descriptors, and returns them after the master releases', () => {
    const { regions, s2m, txPool } = setup();
    const tx = new SlaveTransmitter({ ring: s2m, regions, pool: txPool });
    const rx = new MasterReceiver({ ring: s2m, regions });
    const a = txPool.alloc();
    const b = txPool.alloc();
    txPool.view(a).set(makeFrame(1, 100));
    txPool.view(b).set(makeFrame(2, 60));
    const before = regions[1]!.slice();
    expect(tx.transmitPooled([a, b], [100, 60])).toBe(2);
    expect(regions[1]).toEqual(before);
    expect([s2m.descRegion(0), s2m.descOffset(0), s2m.descLength(0)]).toEqual([1, txPool.offsetOf(a), 100]);
    expect(txPool.available).toBe(6);
    const batch = new ReceiveBatch(4);
    expect(rx.receive(batch)).toBe(2);
    expect(batch.frameView(1)).toEqual(makeFrame(2, 60));
    // Not yet released: the buffers stay out of the pool.
    expect(tx.reclaim()).toBe(0);
    rx.release();
    expect(tx.reclaim()).toBe(2);
    expect(txPool.available).toBe(8);
    expect(txPool.isAllocated(a)).toBe(false);
  });

  it('stops at a full ring and refuses buffers it does not own', () => {
    const { regions, s2m, txPool } = setup();
    const tx = new SlaveTransmitter({ ring: s2m, regions, pool: txPool });
    const buffers = Array.from({ length: 6 }, () => txPool.alloc());
    expect(
      tx.transmitPooled(
        buffers,
        buffers.map(() => 10),
      ),
    ).toBe(4);
    expect(() => tx.transmitPooled([7], [10])).toThrow(expect.objectContaining({ code: 'ERR_RING_BAD_ARGUMENT' }));
    expect(() => tx.transmitPooled([0], [513])).toThrow(expect.objectContaining({ code: 'ERR_RING_BAD_ARGUMENT' }));
  });

  it('posts pool buffers on M2S and hands received frames out as views into them', () => {
    const { regions, m2s, rxPool } = setup();
    const rx = new SlaveReceiver({ ring: m2s, regions, pool: rxPool });
    const tx = new MasterTransmitter({ ring: m2s, regions });
    expect(rx.refill()).toBe(4);
    expect(rxPool.available).toBe(4);
    expect(m2s.descLength(0)).toBe(512);
    expect(tx.transmit([makeFrame(1, 700), makeFrame(2, 5)])).toBe(2);
    const batch = new ReceiveBatch(4);
    expect(rx.receive(batch)).toBe(2);
    const first = batch.frameFirstSegment(1);
    const view = rxPool.viewOf(1, batch.segmentOffset(first), batch.segmentLength(first));
    expect(view).toEqual(makeFrame(2, 5));
    expect(batch.frameView(0)).toEqual(makeFrame(1, 700));
    rx.release();
    expect(rxPool.available).toBe(4);
    expect(rx.posted).toBe(4);
  });
});

describe('zero-copy from views', () => {
  it('sends a view after headroom with its region offset, and refuses a foreign view', () => {
    const layout = new RegionLayout({ numS2mRings: 1, numM2sRings: 0, log2RingSize: 2, bufferSize: 64, bufferPlacement: 'none' });
    const appRegion = new Uint8Array(1024);
    const regions = [new Uint8Array(layout.regionSizes[0]!), appRegion];
    const ring = initializeRegion(layout, regions).s2m[0]!;
    const pool = new BufferPool({ region: appRegion, regionIndex: 1, bufferSize: 256 });
    const tx = new SlaveTransmitter({ ring, regions, pool });
    const rx = new MasterReceiver({ ring, regions });
    const buffer = pool.alloc();
    const data = pool.view(buffer).subarray(14, 14 + 60);
    data.set(makeFrame(9, 60));
    expect(tx.transmitPooledViews([data])).toBe(1);
    expect([ring.descRegion(0), ring.descOffset(0), ring.descLength(0)]).toEqual([1, 14, 60]);
    const batch = new ReceiveBatch(2);
    expect(rx.receive(batch)).toBe(1);
    expect(batch.frameView(0)).toEqual(makeFrame(9, 60));
    rx.release();
    expect(() => tx.transmitPooledViews([new Uint8Array(4)])).toThrow(RingError);
    expect(tx.reclaim()).toBe(1);
    expect(pool.isAllocated(buffer)).toBe(false);
    expect(tx.maxFrameLength).toBe(256 * tx.maxChain);
  });
});

describe('zero-copy slave, frames larger than one pool buffer', () => {
  function setup(bufferSize: number, maxSegmentLength?: number) {
    const layout = new RegionLayout({ numS2mRings: 1, numM2sRings: 0, log2RingSize: 3, bufferSize, bufferPlacement: 'none' });
    const appRegion = new Uint8Array(16 * bufferSize);
    const regions = [new Uint8Array(layout.regionSizes[0]!), appRegion];
    const ring = initializeRegion(layout, regions).s2m[0]!;
    const pool = new BufferPool({ region: appRegion, regionIndex: 1, bufferSize, count: 16 });
    const limit = maxSegmentLength === undefined ? {} : { maxSegmentLength };
    const tx = new SlaveTransmitter({ ring, regions, pool, ...limit });
    const rx = new MasterReceiver({ ring, regions });
    return { ring, pool, tx, rx };
  }

  it('copies a frame into as many pool buffers as it needs, chained, and gets them all back', () => {
    const { ring, pool, tx, rx } = setup(512);
    expect(tx.transmit([makeFrame(1, 3000), makeFrame(2, 100)])).toBe(2);
    expect(ring.loadHead()).toBe(7);
    expect([0, 1, 2, 3, 4, 5].map((slot) => ring.descLength(slot))).toEqual([512, 512, 512, 512, 512, 440]);
    expect(ring.descFlags(4)).toBe(DescFlag.Next);
    expect(ring.descFlags(5)).toBe(0);
    expect(pool.available).toBe(16 - 7);
    const batch = new ReceiveBatch(4);
    expect(rx.receive(batch)).toBe(2);
    expect(batch.frameView(0)).toEqual(makeFrame(1, 3000));
    expect(batch.frameView(1)).toEqual(makeFrame(2, 100));
    rx.release();
    expect(tx.reclaim()).toBe(7);
    expect(pool.available).toBe(16);
  });

  it('stops at a frame the pool cannot hold now, without losing buffers, and sends it later', () => {
    const { pool, tx, rx } = setup(512);
    const held = Array.from({ length: 12 }, () => pool.alloc());
    expect(tx.transmit([makeFrame(1, 600), makeFrame(2, 3000)])).toBe(1);
    // The 600-byte frame holds two buffers; the one that did not fit holds none.
    expect(pool.available).toBe(16 - 12 - 2);
    expect(tx.transmit([makeFrame(2, 3000)])).toBe(0);
    expect(pool.available).toBe(16 - 12 - 2);
    for (const buffer of held) pool.free(buffer);
    expect(tx.transmit([makeFrame(2, 3000)])).toBe(1);
    const batch = new ReceiveBatch(4);
    expect(rx.receive(batch)).toBe(2);
    expect(batch.frameView(1)).toEqual(makeFrame(2, 3000));
    rx.release();
    tx.reclaim();
    expect(pool.available).toBe(16);
  });

  it('splits a pooled buffer longer than maxSegmentLength into descriptors inside it, still without copying', () => {
    const { ring, pool, tx, rx } = setup(4096, 2048);
    const buffer = pool.alloc();
    pool.view(buffer).set(makeFrame(3, 3000));
    expect(tx.transmitPooled([buffer], [3000])).toBe(1);
    expect([ring.descLength(0), ring.descOffset(0), ring.descFlags(0)]).toEqual([2048, pool.offsetOf(buffer), DescFlag.Next]);
    expect([ring.descLength(1), ring.descOffset(1), ring.descFlags(1)]).toEqual([952, pool.offsetOf(buffer) + 2048, 0]);
    const batch = new ReceiveBatch(2);
    expect(rx.receive(batch)).toBe(1);
    expect(batch.frameView(0)).toEqual(makeFrame(3, 3000));
    expect(tx.reclaim()).toBe(0);
    rx.release();
    expect(tx.reclaim()).toBe(1);
    expect(pool.isAllocated(buffer)).toBe(false);
  });

  it('forwards a receive batch into pool buffers, chaining frames larger than one', () => {
    const source = setup(4096);
    expect(source.tx.transmit([makeFrame(5, 3000), makeFrame(6, 60)])).toBe(2);
    const received = new ReceiveBatch(4);
    expect(source.rx.receive(received)).toBe(2);
    const { ring, pool, tx, rx } = setup(1024);
    expect(tx.transmitBatch(received)).toBe(2);
    expect([0, 1, 2, 3].map((slot) => ring.descLength(slot))).toEqual([1024, 1024, 952, 60]);
    const batch = new ReceiveBatch(4);
    expect(rx.receive(batch)).toBe(2);
    expect(batch.frameView(0)).toEqual(makeFrame(5, 3000));
    expect(batch.frameView(1)).toEqual(makeFrame(6, 60));
    rx.release();
    tx.reclaim();
    expect(pool.available).toBe(16);
  });

  it('copies with the same limit: no descriptor over maxSegmentLength', () => {
    const { ring, tx, rx } = setup(4096, 2048);
    expect(tx.transmit([makeFrame(4, 8000)])).toBe(1);
    expect([0, 1, 2, 3].map((slot) => ring.descLength(slot))).toEqual([2048, 2048, 2048, 1856]);
    const batch = new ReceiveBatch(2);
    expect(rx.receive(batch)).toBe(1);
    expect(batch.frameView(0)).toEqual(makeFrame(4, 8000));
  });
});

describe('zero-copy buffer ownership', () => {
  function setup() {
    const layout = new RegionLayout({ numS2mRings: 1, numM2sRings: 1, log2RingSize: 2, bufferSize: 2048, bufferPlacement: 'none' });
    const appRegion = new Uint8Array(16 * 512);
    const regions = [new Uint8Array(layout.regionSizes[0]!), appRegion];
    const { s2m, m2s } = initializeRegion(layout, regions);
    const pool = new BufferPool({ region: appRegion, regionIndex: 1, bufferSize: 512 });
    const tx = new SlaveTransmitter({ ring: s2m[0]!, regions, pool });
    const rx = new MasterReceiver({ ring: s2m[0]!, regions });
    return { regions, m2s: m2s[0]!, pool, tx, rx };
  }
  const inFlight = expect.objectContaining({ code: 'ERR_POOL_IN_FLIGHT', message: expect.stringMatching(/buffer \d+ .*in flight/) });

  it('refuses to publish a buffer that is already in flight, at that call, and reclaiming keeps working', () => {
    const { pool, tx, rx } = setup();
    const a = pool.alloc();
    expect(tx.transmitPooled([a], [10])).toBe(1);
    expect(pool.isInFlight(a)).toBe(true);
    expect(() => tx.transmitPooled([a], [10])).toThrow(inFlight);
    const b = pool.alloc();
    // Twice in one burst: the first goes out, the second is refused.
    expect(() => tx.transmitPooled([b, b], [10, 10])).toThrow(inFlight);
    const batch = new ReceiveBatch(4);
    expect(rx.receive(batch)).toBe(2);
    rx.release();
    expect(tx.reclaim()).toBe(2);
    expect(tx.reclaim()).toBe(0);
    expect(pool.available).toBe(pool.count);
  });

  it('refuses the same buffer twice among views, however the views are cut', () => {
    const { pool, tx, rx } = setup();
    const buffer = pool.alloc();
    const view = pool.view(buffer);
    expect(() => tx.transmitPooledViews([view.subarray(0, 60), view.subarray(100, 160)])).toThrow(inFlight);
    const batch = new ReceiveBatch(4);
    expect(rx.receive(batch)).toBe(1);
    rx.release();
    expect(tx.reclaim()).toBe(1);
    expect(pool.available).toBe(pool.count);
  });

  it('refuses to free a buffer the master still holds; it comes back by itself once released', () => {
    const { pool, tx, rx } = setup();
    const a = pool.alloc();
    expect(tx.transmitPooled([a], [10])).toBe(1);
    expect(() => pool.free(a)).toThrow(inFlight);
    // The refused free did not put it on the free list: nobody can allocate it while in flight.
    const others = Array.from({ length: pool.available }, () => pool.alloc());
    expect(others).not.toContain(a);
    expect(pool.alloc()).toBe(-1);
    for (const other of others) pool.free(other);
    const batch = new ReceiveBatch(4);
    expect(rx.receive(batch)).toBe(1);
    rx.release();
    expect(tx.reclaim()).toBe(1);
    expect(pool.isAllocated(a)).toBe(false);
    expect(pool.available).toBe(pool.count);
  });

  it('refuses to free or publish a buffer posted to the master for receiving', () => {
    const { regions, m2s, pool, tx } = setup();
    const rx = new SlaveReceiver({ ring: m2s, regions, pool });
    expect(rx.refill()).toBe(4);
    const posted = [0, 1, 2, 3].find((index) => pool.isInFlight(index));
    expect(posted).toBeDefined();
    expect(() => pool.free(posted!)).toThrow(inFlight);
    expect(() => tx.transmitPooled([posted!], [10])).toThrow(inFlight);
    const masterTx = new MasterTransmitter({ ring: m2s, regions });
    expect(masterTx.transmit([makeFrame(1, 20)])).toBe(1);
    const batch = new ReceiveBatch(4);
    expect(rx.receive(batch)).toBe(1);
    rx.release();
    expect(pool.available).toBe(pool.count - 4);
  });
});
