import { initializeRegion, MasterReceiver, ReceiveBatch, RegionLayout, RingType, SlaveTransmitter } from '@memif/ring';
import { describe, expect, it } from 'vitest';
import { COPY_CHUNK_BYTES, copyBurst } from './frame-iterator.ts';

/** A burst received from an S2M ring holding `lengths` frames whose bytes name them. */
function receivedBurst(lengths: number[]): { batch: ReceiveBatch; sent: Uint8Array[]; regions: Uint8Array[] } {
  const layout = new RegionLayout({ numS2mRings: 1, numM2sRings: 1, log2RingSize: 8, bufferSize: 2048, bufferPlacement: 'region0' });
  const regions = layout.regionSizes.map((size) => new Uint8Array(new ArrayBuffer(size)));
  const ring = initializeRegion(layout, regions).s2m[0];
  if (ring === undefined) throw new Error('no ring');
  ring.resetIndices(0);
  const tx = new SlaveTransmitter({ ring, regions, buffers: layout.slotBuffers(RingType.S2M, 0) });
  const sent = lengths.map((length, id) => Uint8Array.from({ length }, (_, k) => (id * 31 + k) & 0xff));
  expect(tx.transmit(sent)).toBe(lengths.length);
  const batch = new ReceiveBatch(lengths.length, 256);
  expect(new MasterReceiver({ ring, regions }).receive(batch)).toBe(lengths.length);
  return { batch, sent, regions };
}

/** Unmapping a region detaches its ArrayBuffer, as transferring it does. */
function unmap(region: Uint8Array): void {
  const buffer = region.buffer as ArrayBuffer;
  structuredClone(buffer, { transfer: [buffer] });
}

describe('copyBurst', () => {
  it('gives each frame of up to 64 bytes its own array, and larger frames of a burst one shared buffer', () => {
    const { batch, sent } = receivedBurst([64, 1500, 60, 9000, 1, 65]);
    const frames = copyBurst(batch);
    expect(frames).toEqual(sent);
    const buffers = frames.map((f) => f.buffer);
    expect(buffers[0]?.byteLength).toBe(64);
    expect(buffers[2]?.byteLength).toBe(60);
    expect(buffers[4]?.byteLength).toBe(1);
    // 1500 + 9000 + 65 bytes: one buffer, the small frames between them notwithstanding.
    expect(buffers[1]).toBe(buffers[3]);
    expect(buffers[3]).toBe(buffers[5]);
    expect(buffers[5]?.byteLength).toBe(1500 + 9000 + 65);
  });

  it('copies: later writes to the shared buffers do not show in the frames handed out', () => {
    const { batch, sent, regions } = receivedBurst([64, 1, 1500]);
    const frames = copyBurst(batch);
    for (const region of regions) region.fill(0xee);
    expect(frames).toEqual(sent);
  });

  it.each([[[64]], [[1500]], [[60, 1500]]])('refuses a burst of %j whose region was unmapped, rather than copying zeros', (lengths) => {
    const { batch, regions } = receivedBurst(lengths);
    for (const region of regions) unmap(region);
    expect(() => copyBurst(batch)).toThrow(expect.objectContaining({ code: 'ERR_RING_STALE_BATCH' }));
  });

  it('copies segments the receiver kept no view of, and refuses them once their region is unmapped', () => {
    const region = Uint8Array.from({ length: 256 }, (_, k) => k);
    const batch = new ReceiveBatch(2);
    batch.pushSegment(region, 16, 64);
    batch.commitFrame(0, 64);
    expect(copyBurst(batch)).toEqual([region.slice(16, 80)]);
    unmap(region);
    expect(() => copyBurst(batch)).toThrow(expect.objectContaining({ code: 'ERR_RING_STALE_BATCH' }));
  });

  it(`never puts more than ${COPY_CHUNK_BYTES} bytes in one buffer, unless one frame is larger`, () => {
    const { batch, sent } = receivedBurst([30_000, 30_000, 30_000, 100_000, 10, 20]);
    const frames = copyBurst(batch);
    expect(frames).toEqual(sent);
    const buffers = frames.map((f) => f.buffer);
    expect(buffers[0]).toBe(buffers[1]);
    expect(buffers[2]).not.toBe(buffers[1]);
    expect(buffers[3]).not.toBe(buffers[2]);
    expect(buffers[3]?.byteLength).toBe(100_000);
    expect([buffers[4]?.byteLength, buffers[5]?.byteLength]).toEqual([10, 20]);
    for (const buffer of new Set(buffers)) if (buffer !== buffers[3]) expect(buffer.byteLength).toBeLessThanOrEqual(COPY_CHUNK_BYTES);
  });
});
