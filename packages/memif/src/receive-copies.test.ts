import { initializeRegion, MasterReceiver, ReceiveBatch, RegionLayout, RingType, type RingView, SlaveTransmitter } from '@memif/ring';
import { describe, expect, it } from 'vitest';
import { COPY_CHUNK_BYTES, copyBurst, receiveCopies } from './receive-copies.ts';

/** An S2M ring holding `lengths` frames whose bytes name them, published and not received yet. */
function publishedBurst(lengths: number[]): { rx: MasterReceiver; ring: RingView; sent: Uint8Array[]; regions: Uint8Array[] } {
  const layout = new RegionLayout({ numS2mRings: 1, numM2sRings: 1, log2RingSize: 8, bufferSize: 2048, bufferPlacement: 'region0' });
  const regions = layout.regionSizes.map((size) => new Uint8Array(new ArrayBuffer(size)));
  const ring = initializeRegion(layout, regions).s2m[0];
  if (ring === undefined) throw new Error('no ring');
  ring.resetIndices(0);
  const tx = new SlaveTransmitter({ ring, regions, buffers: layout.slotBuffers(RingType.S2M, 0) });
  const sent = lengths.map((length, id) => Uint8Array.from({ length }, (_, k) => (id * 31 + k) & 0xff));
  expect(tx.transmit(sent)).toBe(lengths.length);
  return { rx: new MasterReceiver({ ring, regions }), ring, sent, regions };
}

/** A burst received from an S2M ring holding `lengths` frames whose bytes name them. */
function receivedBurst(lengths: number[]): { batch: ReceiveBatch; sent: Uint8Array[]; regions: Uint8Array[] } {
  const { rx, sent, regions } = publishedBurst(lengths);
  const batch = new ReceiveBatch(lengths.length, 256);
  expect(rx.receive(batch)).toBe(lengths.length);
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

describe('receiveCopies', () => {
  it('copies small one-slot frames as it receives them, the rest of the burst through the batch, and gives the slots back', () => {
    const { rx, ring, sent } = publishedBurst([64, 1500, 60, 9000, 1]);
    const batch = new ReceiveBatch(16);
    const into: Uint8Array[] = [];
    expect(receiveCopies(rx, into, batch, 16)).toBe(5);
    expect(into).toEqual(sent);
    // The first frame was copied on its own; the batch took the four from the first large one on.
    expect(batch.count).toBe(4);
    expect(into[2]?.buffer).not.toBe(into[1]?.buffer);
    expect(into[1]?.buffer).toBe(into[3]?.buffer);
    expect(rx.held).toBe(0);
    expect(ring.loadTail()).toBe(ring.loadHead());
  });

  it('leaves the batch alone when every frame is small, and sets the length of a reused array to the count', () => {
    const { rx, sent } = publishedBurst([10, 20, 30]);
    const batch = new ReceiveBatch(16);
    const into = [new Uint8Array(1), new Uint8Array(1), new Uint8Array(1), new Uint8Array(1), new Uint8Array(1)];
    expect(receiveCopies(rx, into, batch, 16)).toBe(3);
    expect(into).toEqual(sent);
    expect(batch.count).toBe(0);
    expect(receiveCopies(rx, into, batch, 16)).toBe(0);
    expect(into).toEqual([]);
  });

  it('takes at most max frames, small and large alike', () => {
    const { rx, ring, sent } = publishedBurst([10, 1500, 20, 30]);
    const batch = new ReceiveBatch(16);
    const into: Uint8Array[] = [];
    expect(receiveCopies(rx, into, batch, 3)).toBe(3);
    expect(into).toEqual(sent.slice(0, 3));
    expect(ring.loadTail()).toBe(3);
    expect(receiveCopies(rx, into, batch, 3)).toBe(1);
    expect(into).toEqual(sent.slice(3));
  });
});
