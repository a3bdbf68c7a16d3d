import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RingConsumer, RingView } from '../src/index.ts';
import { DescFlag, MasterReceiver, MasterTransmitter, ReceiveBatch, SlaveTransmitter } from '../src/index.ts';
import { makeFrame, makePair } from './helpers.ts';
import { apply, type DescWrite, descWrite, step } from './hostile-steps.ts';

function checkBatch(batch: ReceiveBatch, regions: readonly Uint8Array[]): void {
  for (let s = 0; s < batch.segmentCount; s++) {
    const bytes = batch.segmentBytes(s);
    expect(regions).toContain(bytes);
    expect(batch.segmentOffset(s) + batch.segmentLength(s)).toBeLessThanOrEqual(bytes.byteLength);
  }
  for (let f = 0; f < batch.count; f++) expect(batch.frameLength(f)).toBeGreaterThan(0);
}

function runSteps(
  rx: RingConsumer,
  ring: RingView,
  regions: readonly Uint8Array[],
  storePeer: (index: number) => void,
  steps: { writes: DescWrite[]; index: number; relative: boolean; max: number; release: boolean }[],
  peerIndex?: () => number,
): void {
  const batch = new ReceiveBatch(16, 1);
  for (const s of steps) {
    apply(ring, s.writes);
    storePeer(s.relative ? ((peerIndex?.() ?? 0) + s.index) & 0xffff : s.index);
    const before = rx.held;
    const droppedBefore = rx.counters.dropped;
    const continuingADroppedChain = rx.discardingChainRest;
    expect(() => rx.receive(batch, s.max)).not.toThrow();
    checkBatch(batch, regions);
    // Slots consumed without a frame to show for them were counted as drops, unless they are the
    // rest of a chain dropped (and counted) in an earlier receive.
    if (rx.held > before && batch.count === 0 && !continuingADroppedChain) expect(rx.counters.dropped).toBeGreaterThan(droppedBefore);
    expect(rx.held).toBeGreaterThanOrEqual(before);
    expect(rx.held).toBeLessThanOrEqual(ring.size);
    if (s.release) rx.release();
  }
}

describe('hostile peers', () => {
  it('a hostile slave cannot make the master receiver throw or read outside a region', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(step, { maxLength: 40 }), (log2, steps) => {
        const { regions, s2m } = makePair({ log2RingSize: log2, bufferSize: 64 });
        const all = [...regions, new Uint8Array(100)];
        const rx = new MasterReceiver({ ring: s2m, regions: all });
        runSteps(
          rx,
          s2m,
          all,
          (index) => s2m.storeHead(index),
          steps,
          () => s2m.loadTail(),
        );
      }),
      { numRuns: 300 },
    );
  }, 30_000);

  it('a hostile master cannot make the slave receiver throw or read anything but what it posted', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(step, { maxLength: 40 }), (log2, steps) => {
        const { regions, m2s, slaveRx, layout } = makePair({ log2RingSize: log2, bufferSize: 64 });
        const batch = new ReceiveBatch(16, 1);
        for (const s of steps) {
          apply(m2s, s.writes);
          m2s.storeTail(s.relative ? (m2s.loadTail() + s.index) & 0xffff : s.index);
          expect(() => slaveRx.receive(batch, s.max)).not.toThrow();
          checkBatch(batch, regions);
          for (let seg = 0; seg < batch.segmentCount; seg++) {
            const offset = batch.segmentOffset(seg) - layout.slotOffset(1, 0, 0);
            expect(offset % 64).toBe(0);
            expect(batch.segmentLength(seg)).toBeLessThanOrEqual(64);
          }
          if (s.release) slaveRx.release();
          expect(slaveRx.held + slaveRx.posted).toBeLessThanOrEqual(m2s.size);
        }
      }),
      { numRuns: 300 },
    );
  }, 30_000);

  it('hostile posted slots cannot make the master transmitter throw or write outside a region', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(
          fc.record({
            writes: fc.array(descWrite, { maxLength: 6 }),
            head: fc.nat(0xffff),
            lengths: fc.array(fc.nat(300), { maxLength: 4 }),
          }),
          { maxLength: 30 },
        ),
        (log2, steps) => {
          const { regions, m2s } = makePair({ log2RingSize: log2, bufferSize: 64 });
          const guard = new Uint8Array(new ArrayBuffer(300));
          const small = guard.subarray(100, 200);
          const tx = new MasterTransmitter({ ring: m2s, regions: [...regions, small] });
          for (const s of steps) {
            apply(m2s, s.writes);
            m2s.storeHead(s.head);
            expect(() => tx.transmit(s.lengths.map((l, k) => makeFrame(k, l)))).not.toThrow();
          }
          expect(guard.subarray(0, 100).every((b) => b === 0)).toBe(true);
          expect(guard.subarray(200).every((b) => b === 0)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  }, 30_000);
});

describe('bad packets are dropped, counted, released, and the ring keeps working', () => {
  const setup = () => {
    const pair = makePair({ log2RingSize: 3, bufferSize: 64 });
    return { ...pair, batch: new ReceiveBatch(8) };
  };

  it.each([
    ['badRegion', (r: RingView) => r.writeDesc(1, 0, 7, 10, r.descOffset(1))],
    ['badOffset', (r: RingView) => r.writeDesc(1, 0, 0, 0x200, 0xffffff00)],
    ['badLength', (r: RingView) => r.writeDesc(1, 0, 0, 70000, 0)],
    ['zeroLength', (r: RingView) => r.writeDesc(1, 0, 0, 0, r.descOffset(1))],
  ] as const)('master receiver: %s', (reason, corrupt) => {
    const { slaveTx, masterRx, s2m, batch } = setup();
    expect(slaveTx.transmit([makeFrame(1, 10), makeFrame(2, 10), makeFrame(3, 10)])).toBe(3);
    corrupt(s2m);
    expect(masterRx.receive(batch)).toBe(2);
    expect(masterRx.counters[reason]).toBe(1);
    expect(masterRx.counters.dropped).toBe(1);
    expect(batch.frameView(1)).toEqual(makeFrame(3, 10));
    masterRx.release();
    expect(s2m.loadTail()).toBe(3);
    expect(slaveTx.transmit([makeFrame(4, 100)])).toBe(1);
    expect(masterRx.receive(batch)).toBe(1);
    expect(batch.frameView(0)).toEqual(makeFrame(4, 100));
  });

  it('master receiver: an endless (cyclic) chain over the whole ring is dropped as chainTooLong', () => {
    const { masterRx, s2m, batch, slaveTx } = setup();
    for (let slot = 0; slot < 8; slot++) s2m.setDescFlags(slot, DescFlag.Next);
    s2m.storeHead(8);
    expect(masterRx.receive(batch)).toBe(0);
    expect(masterRx.counters.chainTooLong).toBe(1);
    masterRx.release();
    expect(s2m.loadTail()).toBe(8);
    // The last slot said NEXT, so the peer's next slot still belongs to that chain and goes with
    // it; a fresh transmitter rewrites flags explicitly, so the frame after that arrives.
    const fresh = new SlaveTransmitter({ ring: s2m, regions: slaveTx.regions, buffers: slaveTx.buffers! });
    expect(fresh.transmit([makeFrame(5, 9), makeFrame(6, 11)])).toBe(2);
    expect(masterRx.receive(batch)).toBe(1);
    expect(batch.frameView(0)).toEqual(makeFrame(6, 11));
    expect(masterRx.counters).toMatchObject({ chainTooLong: 1, dropped: 1, packets: 1 });
  });

  it('master receiver: a chain beyond maxChain is dropped whole; its tail is not read as a frame', () => {
    const { masterRx, s2m, batch } = setup();
    const bounded = new MasterReceiver({ ring: s2m, regions: masterRx.regions, maxChain: 2 });
    for (let slot = 0; slot < 3; slot++) s2m.writeDesc(slot, slot < 2 ? DescFlag.Next : 0, 0, 5, s2m.descOffset(slot));
    s2m.writeDesc(3, 0, 0, 7, s2m.descOffset(3));
    s2m.storeHead(4);
    expect(bounded.receive(batch)).toBe(1);
    expect(batch.frameLength(0)).toBe(7);
    expect(bounded.counters).toMatchObject({ chainTooLong: 1, dropped: 1, packets: 1 });
    bounded.release();
    expect(s2m.loadTail()).toBe(4);
  });

  it('master receiver: the rest of an over-long chain published later is dropped with it', () => {
    const { masterRx, s2m, batch } = setup();
    const bounded = new MasterReceiver({ ring: s2m, regions: masterRx.regions, maxChain: 2 });
    for (let slot = 0; slot < 3; slot++) s2m.writeDesc(slot, DescFlag.Next, 0, 5, s2m.descOffset(slot));
    s2m.storeHead(3);
    expect(bounded.receive(batch)).toBe(0);
    expect(bounded.counters).toMatchObject({ chainTooLong: 1, dropped: 1 });
    bounded.release();
    expect(s2m.loadTail()).toBe(3);
    s2m.writeDesc(3, DescFlag.Next, 0, 5, s2m.descOffset(3));
    s2m.writeDesc(4, 0, 0, 5, s2m.descOffset(4));
    s2m.writeDesc(5, 0, 0, 7, s2m.descOffset(5));
    s2m.storeHead(6);
    expect(bounded.receive(batch)).toBe(1);
    expect(batch.frameLength(0)).toBe(7);
    expect(bounded.counters).toMatchObject({ chainTooLong: 1, dropped: 1, packets: 1 });
  });

  it('slave receiver: a chain beyond maxChain is dropped whole; its tail is not read as a frame', () => {
    const { masterTx, slaveRx: bounded, m2s } = makePair({ log2RingSize: 3, bufferSize: 64, maxChain: 2 });
    const batch = new ReceiveBatch(8);
    expect(masterTx.transmit([makeFrame(1, 10), makeFrame(2, 10), makeFrame(3, 10), makeFrame(4, 7)])).toBe(4);
    for (let slot = 0; slot < 2; slot++) m2s.setDescFlags(slot, DescFlag.Next);
    expect(bounded.receive(batch)).toBe(1);
    expect(batch.frameView(0)).toEqual(makeFrame(4, 7));
    expect(bounded.counters).toMatchObject({ chainTooLong: 1, dropped: 1, packets: 1 });
  });

  it('master receiver: a head jump beyond the ring size is refused', () => {
    const { masterRx, s2m, batch } = setup();
    s2m.storeHead(9);
    expect(masterRx.receive(batch)).toBe(0);
    expect(masterRx.counters.badIndex).toBe(1);
    expect(masterRx.held).toBe(0);
    s2m.storeHead(0xfff0);
    expect(masterRx.receive(batch)).toBe(0);
    expect(masterRx.counters.badIndex).toBe(2);
  });

  it('slave receiver: a redirected descriptor or a length above the posted capacity is dropped', () => {
    const { masterTx, slaveRx, m2s, batch } = setup();
    expect(masterTx.transmit([makeFrame(1, 10), makeFrame(2, 10), makeFrame(3, 10), makeFrame(4, 10)])).toBe(4);
    m2s.writeDesc(0, 0, 1, 10, m2s.descOffset(0));
    m2s.writeDesc(1, 0, 0, 10, 0);
    m2s.setDescLength(2, 65);
    expect(slaveRx.receive(batch)).toBe(1);
    expect(batch.frameView(0)).toEqual(makeFrame(4, 10));
    expect(slaveRx.counters).toMatchObject({ badRegion: 1, badOffset: 1, badLength: 1, dropped: 3, packets: 1 });
    slaveRx.release();
    // Reposting restores every descriptor, so the master can send again.
    expect(masterTx.transmit([makeFrame(5, 150)])).toBe(1);
    expect(slaveRx.receive(batch)).toBe(1);
    expect(batch.frameView(0)).toEqual(makeFrame(5, 150));
  });
});
