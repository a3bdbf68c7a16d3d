import { describe, expect, it } from 'vitest';
import { ReceiveBatch } from '../src/index.ts';
import { makeFrame, makePair } from './helpers.ts';

describe('stage: frames copied now, published later with one index store', () => {
  it('keeps staged frames from the peer until publish, then delivers them in order with later bursts', () => {
    const { slaveTx, masterRx, masterTx, slaveRx } = makePair({ bufferSize: 64, log2RingSize: 4 });
    for (const tx of [slaveTx, masterTx]) {
      const rx = tx === slaveTx ? masterRx : slaveRx;
      const batch = new ReceiveBatch(16);
      expect(tx.stage([makeFrame(1, 10)])).toBe(1);
      expect(tx.stage([makeFrame(2, 100)])).toBe(1);
      expect(rx.receive(batch)).toBe(0);
      expect(tx.counters.packets).toBe(0);
      // A burst publishes what was staged before it, first.
      expect(tx.transmit([makeFrame(3, 20)])).toBe(1);
      expect(rx.receive(batch)).toBe(3);
      expect([batch.frameView(0), batch.frameView(1), batch.frameView(2)]).toEqual([makeFrame(1, 10), makeFrame(2, 100), makeFrame(3, 20)]);
      rx.release();
      expect(tx.stage([makeFrame(4, 30)])).toBe(1);
      expect(tx.publish()).toBe(1);
      expect(rx.receive(batch)).toBe(1);
      expect(batch.frameView(0)).toEqual(makeFrame(4, 30));
      rx.release();
      expect(tx.counters.packets).toBe(4);
      expect(tx.counters.bytes).toBe(160);
    }
  });

  it('reads the peer index again only when its last reading shows no room, and never overfills', () => {
    const { slaveTx, masterRx } = makePair({ bufferSize: 64, log2RingSize: 2 });
    const batch = new ReceiveBatch(8);
    let staged = 0;
    while (slaveTx.stage([makeFrame(staged, 8)]) === 1) staged++;
    expect(staged).toBe(4);
    expect(slaveTx.freeSlots(1)).toBe(0);
    slaveTx.publish();
    expect(masterRx.receive(batch)).toBe(4);
    masterRx.release();
    // The master freed every slot: the next stage finds that out although its last reading said full.
    expect(slaveTx.freeSlots(0)).toBe(0);
    expect(slaveTx.freeSlots(1)).toBe(4);
    for (let k = 0; k < 4; k++) expect(slaveTx.stage([makeFrame(10 + k, 8)])).toBe(1);
    expect(slaveTx.stage([makeFrame(99, 8)])).toBe(0);
    slaveTx.publish();
    expect(masterRx.receive(batch)).toBe(4);
    for (let k = 0; k < 4; k++) expect(batch.frameView(k)).toEqual(makeFrame(10 + k, 8));
  });

  it('stages a chained frame once the peer has freed the slots it needs', () => {
    const { slaveTx, masterRx } = makePair({ bufferSize: 64, log2RingSize: 2 });
    const batch = new ReceiveBatch(8);
    expect(slaveTx.transmit([makeFrame(1, 8), makeFrame(2, 8), makeFrame(3, 8)])).toBe(3);
    // One slot free by the last reading; the 150-byte frame needs three.
    expect(slaveTx.stage([makeFrame(4, 150)])).toBe(0);
    expect(masterRx.receive(batch)).toBe(3);
    masterRx.release();
    expect(slaveTx.stage([makeFrame(4, 150)])).toBe(1);
    slaveTx.publish();
    expect(masterRx.receive(batch)).toBe(1);
    expect(batch.frameView(0)).toEqual(makeFrame(4, 150));
  });
});
