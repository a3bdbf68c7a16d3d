import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DescFlag, MasterReceiver, ReceiveBatch, type RingConsumer, type RingCounters, type RingView } from '../src/index.ts';
import { makeFrame, makePair } from './helpers.ts';
import { apply, step } from './hostile-steps.ts';

/** One receiver with its ring, and how its peer publishes (head on S2M, tail on M2S). */
interface Side {
  rx: RingConsumer;
  ring: RingView;
  publish(index: number): void;
  peerIndex(): number;
}

function side(role: 'master' | 'slave', log2RingSize: number): Side {
  const { regions, s2m, m2s, slaveRx } = makePair({ log2RingSize, bufferSize: 64 });
  if (role === 'slave') return { rx: slaveRx, ring: m2s, publish: (i) => m2s.storeTail(i), peerIndex: () => m2s.loadTail() };
  const rx = new MasterReceiver({ ring: s2m, regions: [...regions, new Uint8Array(100)] });
  return { rx, ring: s2m, publish: (i) => s2m.storeHead(i), peerIndex: () => s2m.loadTail() };
}

function copies(batch: ReceiveBatch): Uint8Array[] {
  return Array.from({ length: batch.count }, (_, f) => batch.frameView(f).slice());
}

/** The counters, with badIndex as a yes/no: it counts the looks that found the index implausible. */
function countersOf(rx: RingConsumer): Record<string, number | boolean> {
  const { badIndex, ...rest }: RingCounters = rx.counters;
  return { ...rest, badIndex: badIndex > 0 };
}

describe('receiveCopies', () => {
  it.each(['master', 'slave'] as const)(
    'a %s receiver that copies small frames first delivers and counts what receive() alone does, whatever the peer writes',
    (role) => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 4 }),
          fc.integer({ min: 1, max: 300 }),
          fc.array(step, { maxLength: 40 }),
          (log2, maxLength, steps) => {
            const alone = side(role, log2);
            const copying = side(role, log2);
            const batch = new ReceiveBatch(16, 1);
            const into: Uint8Array[] = [];
            for (const s of steps) {
              for (const { ring, publish, peerIndex } of [alone, copying]) {
                apply(ring, s.writes);
                publish(s.relative ? (peerIndex() + s.index) & 0xffff : s.index);
              }
              alone.rx.receive(batch, s.max);
              const expected = copies(batch);
              const count = copying.rx.receiveCopies(into, s.max, maxLength);
              const received = into.slice(0, count);
              expect(received.every((frame) => frame.length > 0 && frame.length <= maxLength)).toBe(true);
              if (count < s.max && copying.rx.leftForReceive) {
                copying.rx.receive(batch, s.max - count);
                received.push(...copies(batch));
              }
              expect(received).toEqual(expected);
              expect(countersOf(copying.rx)).toEqual(countersOf(alone.rx));
              expect(copying.rx.held).toBe(alone.rx.held);
              if (s.release) {
                alone.rx.release();
                copying.rx.release();
              }
            }
          },
        ),
        { numRuns: 300 },
      );
    },
    60_000,
  );

  it('copies one-slot frames up to maxLength and stops, without taking it, before a longer or chained one', () => {
    const { s2m, slaveTx, masterRx } = makePair({ log2RingSize: 4, bufferSize: 64 });
    const sent = [makeFrame(1, 10), makeFrame(2, 64), makeFrame(3, 65), makeFrame(4, 5), makeFrame(5, 100), makeFrame(6, 1)];
    expect(slaveTx.transmit(sent)).toBe(sent.length);
    const into: Uint8Array[] = [];
    expect(masterRx.receiveCopies(into, 16, 64)).toBe(2);
    expect(into).toEqual(sent.slice(0, 2));
    expect(masterRx.leftForReceive).toBe(true);
    // 65 bytes take two 64-byte slots: a chain, which receive() takes, with what follows.
    const batch = new ReceiveBatch(16);
    expect(masterRx.receive(batch)).toBe(4);
    expect(copies(batch)).toEqual(sent.slice(2));
    expect(masterRx.counters).toMatchObject({ packets: 6, dropped: 0 });
    masterRx.release();
    expect(s2m.loadTail()).toBe(s2m.loadHead());
  });

  it('stops at max, leaves nothing for receive() when the ring is empty, and counts bytes as receive() does', () => {
    const { slaveTx, masterRx } = makePair({ log2RingSize: 4, bufferSize: 64 });
    const sent = [1, 2, 3, 4, 5].map((id) => makeFrame(id, 10 * id));
    slaveTx.transmit(sent);
    const into: Uint8Array[] = [];
    expect(masterRx.receiveCopies(into, 3, 64)).toBe(3);
    expect(masterRx.leftForReceive).toBe(false);
    expect(masterRx.receiveCopies(into, 16, 64)).toBe(2);
    expect(into.slice(0, 2)).toEqual(sent.slice(3));
    expect(masterRx.leftForReceive).toBe(false);
    expect(masterRx.counters).toMatchObject({ packets: 5, bytes: 150 });
    expect(masterRx.held).toBe(5);
  });

  it('hands out copies: what the peer writes into the buffers afterwards does not show', () => {
    const { regions, slaveTx, masterRx } = makePair({ log2RingSize: 3, bufferSize: 64 });
    const sent = [makeFrame(7, 64), makeFrame(8, 3)];
    slaveTx.transmit(sent);
    const into: Uint8Array[] = [];
    masterRx.receiveCopies(into, 8, 64);
    for (const region of regions) region.fill(0xee);
    expect(into).toEqual(sent);
  });

  it('drops and counts a bad descriptor on the way, and a zero-length frame, and goes on', () => {
    const { s2m, slaveTx, masterRx } = makePair({ log2RingSize: 3, bufferSize: 64 });
    const sent = [makeFrame(1, 8), makeFrame(2, 8), makeFrame(3, 8)];
    slaveTx.transmit(sent);
    s2m.writeDesc(0, 0, 9, 8, s2m.descOffset(0));
    s2m.writeDesc(1, 0, 0, 0, s2m.descOffset(1));
    const into: Uint8Array[] = [];
    expect(masterRx.receiveCopies(into, 8, 64)).toBe(1);
    expect(into.slice(0, 1)).toEqual([sent[2]]);
    expect(masterRx.counters).toMatchObject({ packets: 1, dropped: 2, badRegion: 1, zeroLength: 1 });
    expect(masterRx.held).toBe(3);
  });

  it('leaves the rest of a chain being discarded to receive()', () => {
    const { s2m, slaveTx, masterRx } = makePair({ log2RingSize: 3, bufferSize: 64, maxChain: 2 });
    for (let slot = 0; slot < 3; slot++) s2m.writeDesc(slot, DescFlag.Next, 0, 5, s2m.descOffset(slot));
    s2m.storeHead(3);
    const batch = new ReceiveBatch(8);
    expect(masterRx.receive(batch)).toBe(0);
    expect(masterRx.discardingChainRest).toBe(true);
    s2m.writeDesc(3, 0, 0, 5, s2m.descOffset(3));
    s2m.storeHead(4);
    const into: Uint8Array[] = [];
    expect(masterRx.receiveCopies(into, 8, 64)).toBe(0);
    expect(masterRx.leftForReceive).toBe(true);
    expect(masterRx.receive(batch)).toBe(0);
    expect(masterRx.discardingChainRest).toBe(false);
    expect(slaveTx.counters.packets).toBe(0);
  });
});
