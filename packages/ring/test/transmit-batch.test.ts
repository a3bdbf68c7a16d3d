import { describe, expect, it } from 'vitest';
import { ReceiveBatch } from '../src/index.ts';
import { makeFrame, makePair } from './helpers.ts';

describe('transmitBatch: forwarding a receive batch without per-frame views', () => {
  it('forwards small, large and chained frames byte for byte, S2M into M2S', () => {
    const { slaveTx, masterRx, masterTx, slaveRx } = makePair({ bufferSize: 64, log2RingSize: 4 });
    const frames = [makeFrame(1, 10), makeFrame(2, 64), makeFrame(3, 100), makeFrame(4, 16), makeFrame(5, 17)];
    expect(slaveTx.transmit(frames)).toBe(5);
    const batch = new ReceiveBatch(8);
    expect(masterRx.receive(batch)).toBe(5);
    expect(masterTx.transmitBatch(batch)).toBe(5);
    masterRx.release();
    const out = new ReceiveBatch(8);
    expect(slaveRx.receive(out)).toBe(5);
    for (let f = 0; f < 5; f++) expect(out.frameView(f)).toEqual(frames[f]);
    expect(masterTx.counters.packets).toBe(5);
    expect(masterTx.counters.bytes).toBe(10 + 64 + 100 + 16 + 17);
  });

  it('sends a sub-range, and stops at the first frame that does not fit', () => {
    const { slaveTx, masterRx, masterTx, slaveRx } = makePair({ bufferSize: 64, log2RingSize: 2 });
    const frames = [makeFrame(1, 20), makeFrame(2, 30), makeFrame(3, 40), makeFrame(4, 50)];
    expect(slaveTx.transmit(frames)).toBe(4);
    const batch = new ReceiveBatch(4);
    expect(masterRx.receive(batch)).toBe(4);
    expect(masterTx.transmitBatch(batch, 2, 1)).toBe(2);
    expect(masterTx.transmitBatch(batch, 4, 0)).toBe(2);
    const out = new ReceiveBatch(4);
    expect(slaveRx.receive(out)).toBe(4);
    expect([out.frameView(0), out.frameView(1), out.frameView(2), out.frameView(3)]).toEqual([frames[1], frames[2], frames[0], frames[1]]);
  });

  it('reuses segment views for constant-size traffic and renews them when a length changes', () => {
    const { slaveTx, masterRx } = makePair({ bufferSize: 64, log2RingSize: 1 });
    const batch = new ReceiveBatch(2);
    const views: Uint8Array[] = [];
    for (const length of [40, 40, 40, 41]) {
      slaveTx.transmit([makeFrame(length, length), makeFrame(length + 1, length)]);
      masterRx.receive(batch);
      views.push(batch.frameView(0));
      expect(batch.frameView(1)).toEqual(makeFrame(length + 1, length));
      masterRx.release();
    }
    expect(views[1]).toBe(views[0]);
    expect(views[2]).toBe(views[0]);
    expect(views[3]).not.toBe(views[0]);
    expect(views[3]).toEqual(makeFrame(41, 41));
  });
});
