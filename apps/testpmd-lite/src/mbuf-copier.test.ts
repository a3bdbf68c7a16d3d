import { ReceiveBatch } from '@memif/memif';
import { describe, expect, it } from 'vitest';
import { MBUF_DATA_ROOM, MbufCopier } from './mbuf-copier.ts';

/** A region of `bytes` with byte k = (k * 7 + 3) & 0xff, so each offset holds a telling value. */
function region(bytes: number): Uint8Array {
  const memory = new Uint8Array(bytes);
  for (let k = 0; k < bytes; k++) memory[k] = (k * 7 + 3) & 0xff;
  return memory;
}

/** A batch of frames made of (offset, length) segments of `memory`, as a receiver fills it. */
function batchOf(memory: Uint8Array, frames: ReadonlyArray<ReadonlyArray<readonly [number, number]>>): ReceiveBatch {
  const batch = new ReceiveBatch(frames.length);
  for (const segments of frames) {
    const mark = batch.segmentCount;
    let length = 0;
    for (const [offset, bytes] of segments) {
      batch.pushSegment(memory, offset, bytes);
      length += bytes;
    }
    batch.commitFrame(mark, length);
  }
  return batch;
}

describe('MbufCopier (lite-rxcopy)', () => {
  it('copies every byte of every segment into the next mbufs and counts them', () => {
    const memory = region(16_384);
    const batch = batchOf(memory, [
      [[0, 64]],
      [[4096, 1500]],
      [
        [8192, 2048],
        [10_240, 100],
      ],
    ]);
    const copier = new MbufCopier(8);
    expect(copier.copyBurst(batch, 3)).toBe(64 + 1500 + 2048 + 100);
    expect(copier.bytes).toBe(3712);
    expect(copier.mbuf(0).subarray(0, 64)).toEqual(memory.subarray(0, 64));
    expect(copier.mbuf(1).subarray(0, 1500)).toEqual(memory.subarray(4096, 5596));
    expect(copier.mbuf(2)).toEqual(memory.subarray(8192, 10_240));
    expect(copier.mbuf(3).subarray(0, 100)).toEqual(memory.subarray(10_240, 10_340));
  });

  it('splits a segment longer than an mbuf over several, as DPDK chains mbufs, and reuses the mbufs in turn', () => {
    const memory = region(16_384);
    const copier = new MbufCopier(3);
    expect(copier.copyBurst(batchOf(memory, [[[100, 5000]]]), 1)).toBe(5000);
    expect(copier.mbuf(0)).toEqual(memory.subarray(100, 100 + MBUF_DATA_ROOM));
    expect(copier.mbuf(1)).toEqual(memory.subarray(100 + MBUF_DATA_ROOM, 100 + 2 * MBUF_DATA_ROOM));
    expect(copier.mbuf(2).subarray(0, 5000 - 2 * MBUF_DATA_ROOM)).toEqual(memory.subarray(100 + 2 * MBUF_DATA_ROOM, 5100));
    // The next burst starts over at the first mbuf.
    expect(copier.copyBurst(batchOf(memory, [[[9000, 64]]]), 1)).toBe(64);
    expect(copier.mbuf(0).subarray(0, 64)).toEqual(memory.subarray(9000, 9064));
  });

  it('copies only the first `count` frames', () => {
    const memory = region(8192);
    const copier = new MbufCopier(4);
    expect(copier.copyBurst(batchOf(memory, [[[0, 10]], [[2048, 20]]]), 1)).toBe(10);
    expect(copier.bytes).toBe(10);
  });

  it('refuses a batch whose region was unmapped instead of copying zeros', () => {
    const memory = region(4096);
    const batch = batchOf(memory, [[[0, 64]]]);
    // Transferring the buffer detaches it, as unmapping a region does.
    const buffer = memory.buffer as ArrayBuffer;
    structuredClone(buffer, { transfer: [buffer] });
    expect(() => new MbufCopier(1).copyBurst(batch, 1)).toThrow(expect.objectContaining({ code: 'ERR_RING_STALE_BATCH' }));
  });
});
