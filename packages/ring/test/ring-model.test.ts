import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { IndexStores, RingConsumer, RingProducer, RingView } from '../src/index.ts';
import {
  BufferPool,
  initializeRegion,
  MasterReceiver,
  MasterTransmitter,
  ReceiveBatch,
  RegionLayout,
  RingType,
  SlaveReceiver,
  SlaveTransmitter,
} from '../src/index.ts';
import { makeFrame, makePair } from './helpers.ts';

/** Frames delivered over all runs, so that a generator gone trivial shows up. */
let delivered = 0;
afterAll(() => expect(delivered).toBeGreaterThan(1000));

type SendStyle = 'burst' | 'gather' | 'reserve';
type Op =
  | { kind: 'send'; dir: RingType; lengths: number[]; style: SendStyle; split: number }
  | { kind: 'receive'; dir: RingType; max: number }
  | { kind: 'release'; dir: RingType }
  | { kind: 'mask'; dir: RingType; masked: boolean };

interface Segment {
  bytes: Uint8Array;
  offset: number;
  length: number;
}
interface InFlight {
  id: number;
  length: number;
  slots: number;
}
interface Held extends InFlight {
  segments: Segment[];
}

/** Both directions of one queue pair over one region set, with a model of what is in flight. */
function runSchedule(config: { log2: number; bsize: number; start: number; zeroCopy: boolean; indexStores: IndexStores }, ops: Op[]): void {
  const layout = new RegionLayout({ numS2mRings: 1, numM2sRings: 1, log2RingSize: config.log2, bufferSize: config.bsize });
  const N = layout.ringSize;
  const B = config.bsize;
  const region0 = new Uint8Array(layout.regionSizes[0]!);
  const txPoolRegion = new Uint8Array((N + 2) * B);
  const rxPoolRegion = new Uint8Array(N * B + 3);
  const regions = [region0, txPoolRegion, rxPoolRegion];
  const txPool = new BufferPool({ region: txPoolRegion, regionIndex: 1, bufferSize: B });
  const rxPool = new BufferPool({ region: rxPoolRegion, regionIndex: 2, bufferSize: B, offset: 3 });
  const rings = initializeRegion(layout, regions, { indexStores: config.indexStores });
  const s2m = rings.s2m[0]!;
  const m2s = rings.m2s[0]!;
  s2m.resetIndices(config.start);
  m2s.resetIndices(config.start);
  const slaveTx = new SlaveTransmitter({ ring: s2m, regions, buffers: layout.slotBuffers(RingType.S2M, 0), pool: txPool });
  const masterRx = new MasterReceiver({ ring: s2m, regions });
  const slaveRx = config.zeroCopy
    ? new SlaveReceiver({ ring: m2s, regions, pool: rxPool })
    : new SlaveReceiver({ ring: m2s, regions, buffers: layout.slotBuffers(RingType.M2S, 0) });
  const masterTx = new MasterTransmitter({ ring: m2s, regions });
  expect(slaveRx.refill()).toBe(N);

  const sides: Record<RingType, { ring: RingView; tx: RingProducer; rx: RingConsumer; queue: InFlight[]; held: Held[]; pending: number }> =
    {
      [RingType.S2M]: { ring: s2m, tx: slaveTx, rx: masterRx, queue: [], held: [], pending: 0 },
      [RingType.M2S]: { ring: m2s, tx: masterTx, rx: slaveRx, queue: [], held: [], pending: 0 },
    };
  let nextId = 1;
  const batch = new ReceiveBatch(8, 2);
  const scratch = new Uint8Array(4 * B);
  const zeroCopyTx = (side: (typeof sides)[RingType], lengths: number[]): number => {
    slaveTx.reclaim();
    expect(txPool.available).toBe(N + 2 - side.pending);
    const buffers: number[] = [];
    for (const length of lengths.slice(0, txPool.available)) {
      const buffer = txPool.alloc();
      txPool.view(buffer).set(makeFrame(nextId + buffers.length, length));
      buffers.push(buffer);
    }
    const sent = slaveTx.transmitPooled(buffers, lengths, buffers.length);
    for (const buffer of buffers.slice(sent)) txPool.free(buffer);
    return sent;
  };

  for (const op of ops) {
    const side = sides[op.dir];
    switch (op.kind) {
      case 'send': {
        const zc = config.zeroCopy && op.dir === RingType.S2M;
        const lengths = zc ? op.lengths.map((l) => Math.min(l, B)) : op.style === 'burst' ? op.lengths : op.lengths.slice(0, 1);
        let expected = 0;
        let free = N - side.pending;
        for (const length of lengths) {
          const slots = Math.max(1, Math.ceil(length / B));
          if (slots > free) break;
          free -= slots;
          expected++;
        }
        const frames = lengths.map((length, k) => makeFrame(nextId + k, length));
        let sent: number;
        if (zc) sent = zeroCopyTx(side, lengths);
        else if (op.style === 'burst') sent = side.tx.transmit(frames);
        else if (op.style === 'gather') {
          const frame = frames[0]!;
          const cut = Math.min(op.split, frame.length);
          sent = side.tx.transmitGather([frame.subarray(0, cut), frame.subarray(cut)]) ? 1 : 0;
        } else {
          const frame = frames[0]!;
          const cut = Math.min(op.split, frame.length);
          sent = 0;
          if (side.tx.reserve(frame.length)) {
            side.tx.write(frame.subarray(cut), cut);
            side.tx.write(frame.subarray(0, cut), 0);
            sent = side.tx.publish();
          }
        }
        expect(sent).toBe(expected);
        for (let k = 0; k < sent; k++) {
          const length = lengths[k]!;
          const slots = Math.max(1, Math.ceil(length / B));
          side.queue.push({ id: nextId + k, length, slots });
          side.pending += slots;
        }
        nextId += lengths.length;
        break;
      }
      case 'receive': {
        const got = side.rx.receive(batch, op.max);
        expect(got).toBe(Math.min(op.max, side.queue.length));
        for (let f = 0; f < got; f++) {
          const want = side.queue.shift()!;
          expect(batch.frameLength(f)).toBe(want.length);
          expect(batch.frameSegmentCount(f)).toBe(want.slots);
          expect(batch.copyFrame(f, scratch)).toBe(want.length);
          expect(scratch.subarray(0, want.length)).toEqual(makeFrame(want.id, want.length));
          const segments: Segment[] = [];
          const first = batch.frameFirstSegment(f);
          for (let s = first; s < first + want.slots; s++) {
            const segment = { bytes: batch.segmentBytes(s), offset: batch.segmentOffset(s), length: batch.segmentLength(s) };
            expect(segment.offset + segment.length).toBeLessThanOrEqual(segment.bytes.byteLength);
            segments.push(segment);
          }
          side.held.push({ ...want, segments });
        }
        expect(side.rx.counters.dropped).toBe(0);
        delivered += got;
        break;
      }
      case 'release': {
        // Held views must be intact until release: a producer reusing a held slot would show here.
        const seen = new Set<string>();
        for (const held of side.held) {
          const bytes = new Uint8Array(held.length);
          let at = 0;
          for (const segment of held.segments) {
            const key = `${regions.indexOf(segment.bytes as Uint8Array<ArrayBuffer>)}:${segment.offset}`;
            expect(seen.has(key)).toBe(false);
            seen.add(key);
            bytes.set(segment.bytes.subarray(segment.offset, segment.offset + segment.length), at);
            at += segment.length;
          }
          expect(bytes).toEqual(makeFrame(held.id, held.length));
          side.pending -= held.slots;
        }
        side.held = [];
        side.rx.release();
        break;
      }
      case 'mask':
        side.rx.setInterruptMasked(op.masked);
        expect(side.tx.shouldNotify()).toBe(!op.masked);
        break;
    }
    for (const { ring } of Object.values(sides)) {
      expect((ring.loadHead() - ring.loadTail()) & 0xffff).toBeLessThanOrEqual(N);
    }
    expect((s2m.loadHead() - s2m.loadTail()) & 0xffff).toBe(sides[RingType.S2M].pending);
  }
}

const opArbitrary = (bsize: number): fc.Arbitrary<Op> => {
  const dir = fc.constantFrom<RingType>(RingType.S2M, RingType.M2S);
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('send' as const),
        dir,
        lengths: fc.array(fc.integer({ min: 1, max: 3 * bsize }), { minLength: 1, maxLength: 5 }),
        style: fc.constantFrom<SendStyle>('burst', 'burst', 'gather', 'reserve'),
        split: fc.nat(3 * bsize),
      }),
    },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('receive' as const), dir, max: fc.integer({ min: 1, max: 8 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('release' as const), dir }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('mask' as const), dir, masked: fc.boolean() }) },
  );
};

describe('ring model', () => {
  it('delivers every frame once, intact and in order, in both directions and roles', () => {
    const scenario = fc
      .record({
        log2: fc.integer({ min: 1, max: 4 }),
        bsize: fc.integer({ min: 1, max: 40 }),
        start: fc.oneof(fc.constant(0), fc.integer({ min: 65500, max: 65535 }), fc.nat(65535)),
        zeroCopy: fc.boolean(),
        indexStores: fc.constantFrom<IndexStores>('fenced', 'plain-release-tso'),
      })
      .chain((config) => fc.tuple(fc.constant(config), fc.array(opArbitrary(config.bsize), { minLength: 1, maxLength: 250, size: 'max' })));
    fc.assert(
      fc.property(scenario, ([config, ops]) => runSchedule(config, ops)),
      { numRuns: 250 },
    );
  }, 60_000);

  it('wraps the 16-bit indices several times in a long run', () => {
    const { slaveTx, masterRx, masterTx, slaveRx, s2m, m2s } = makePair({ log2RingSize: 3, bufferSize: 8, startIndex: 65000 });
    const batch = new ReceiveBatch(8);
    const frames = [makeFrame(1, 5), makeFrame(2, 17), makeFrame(3, 3)];
    let mismatches = 0;
    const check = (rx: RingConsumer): void => {
      if (rx.receive(batch) !== 3) mismatches++;
      for (let f = 0; f < 3; f++) {
        const first = batch.frameFirstSegment(f);
        if (batch.frameLength(f) !== frames[f]!.length) mismatches++;
        if (batch.segmentBytes(first)[batch.segmentOffset(first)] !== frames[f]![0]) mismatches++;
      }
      rx.release();
    };
    // 5 slots per round per direction: 20 000 rounds move each ring's indices past 65 535 once
    // from the start value and once more.
    for (let round = 0; round < 20000; round++) {
      if (slaveTx.transmit(frames) !== 3) mismatches++;
      check(masterRx);
      if (masterTx.transmit(frames) !== 3) mismatches++;
      check(slaveRx);
    }
    expect(mismatches).toBe(0);
    expect(s2m.loadHead()).toBe((65000 + 20000 * 5) & 0xffff);
    expect(m2s.loadTail()).toBe((65000 + 20000 * 5) & 0xffff);
    expect(masterRx.counters.packets).toBe(60000);
    expect(slaveRx.counters.dropped + masterRx.counters.dropped).toBe(0);
  });
});
