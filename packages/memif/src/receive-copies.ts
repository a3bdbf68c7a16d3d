import type { ReceiveBatch } from '@memif/ring';
import { retainFreedHeapForCopies } from './retain-freed-heap.ts';

/**
 * Most payload bytes per ArrayBuffer a copy allocates: below glibc's mmap threshold (128 KiB),
 * so a burst of jumbo frames reuses freed heap instead of an mmap(2) and page faults per burst.
 */
export const COPY_CHUNK_BYTES = 64 * 1024;

/**
 * Frames up to this size get an array of their own: V8 keeps typed arrays this small on its own
 * heap (`V8_TYPED_ARRAY_MAX_SIZE_IN_HEAP`), where allocating one costs less than a view into a
 * shared buffer and needs no malloc'd backing store.
 */
export const OWN_ARRAY_MAX_BYTES = 64;

/**
 * Frames per receive of a copying iterator. Its slots go back to the peer as soon as they are
 * copied, so a larger burst holds nothing longer; it only spreads the per-burst costs (the index
 * reads and stores, the refill, an await) over more frames.
 */
export const COPY_BURST_FRAMES = 256;

/**
 * Copies every frame of `batch` into `into[start, start + batch.count)` and returns `into`: a
 * copy per frame that the caller owns (nobody else writes its bytes). A frame of at most
 * {@link OWN_ARRAY_MAX_BYTES} gets an array of its own; larger ones share new ArrayBuffers of up
 * to {@link COPY_CHUNK_BYTES} (one for a burst of 1500-byte frames; a frame larger than that
 * alone in one): one allocation of payload per burst rather than per frame. Allocates.
 */
export function copyBurst(batch: ReceiveBatch, into: Uint8Array[] = [], start = 0): Uint8Array[] {
  retainFreedHeapForCopies();
  const count = batch.count;
  into.length = start + count;
  let chunk = new ArrayBuffer(0);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const length = batch.frameLength(i);
    if (length <= OWN_ARRAY_MAX_BYTES) {
      // One segment in live memory: copied by the array constructor from the view the receiver
      // keeps per slot. An unmapped region reads as 0 bytes long, so a stale frame takes the
      // checked copy below, which throws ERR_RING_STALE_BATCH.
      const segment = batch.frameFirstSegment(i);
      if (
        length > 0 &&
        batch.frameSegmentCount(i) === 1 &&
        batch.segmentOffset(segment) + length <= batch.segmentBytes(segment).byteLength
      ) {
        into[start + i] = new Uint8Array(batch.segmentView(segment));
        continue;
      }
      const own = new Uint8Array(length);
      batch.copyFrame(i, own);
      into[start + i] = own;
      continue;
    }
    if (at + length > chunk.byteLength) {
      // A new chunk, sized for the larger frames from here on that fit it (or this one alone).
      let total = length;
      for (let j = i + 1; j < count; j++) {
        const next = batch.frameLength(j);
        if (next <= OWN_ARRAY_MAX_BYTES) continue;
        if (total + next > COPY_CHUNK_BYTES) break;
        total += next;
      }
      chunk = new ArrayBuffer(total);
      at = 0;
    }
    const view = new Uint8Array(chunk, at, length);
    batch.copyFrame(i, view);
    into[start + i] = view;
    at += length;
  }
  return into;
}

/** What copying received frames needs of a receive queue (an `RxQueue`). */
export interface CopyingReceiver {
  receiveCopies(into: Uint8Array[], max: number, maxLength: number): number;
  readonly leftForReceive: boolean;
  receive(batch: ReceiveBatch, max?: number): number;
  release(): void;
}

/**
 * Receives up to `max` frames as copies the caller owns into `into` (its length set to the count)
 * and gives their slots back at once; returns the count. Frames of up to
 * {@link OWN_ARRAY_MAX_BYTES} in one slot are copied as they are received, with no batch in
 * between; from the first other frame on, the rest of the burst goes through `batch` and
 * {@link copyBurst}.
 */
export function receiveCopies(rx: CopyingReceiver, into: Uint8Array[], batch: ReceiveBatch, max: number): number {
  let count = rx.receiveCopies(into, max, OWN_ARRAY_MAX_BYTES);
  if (count < max && rx.leftForReceive && rx.receive(batch, max - count) > 0) {
    copyBurst(batch, into, count);
    count += batch.count;
  } else {
    into.length = count;
  }
  // Slots of packets dropped on the way, with no frame received, were given back already.
  if (count > 0) rx.release();
  return count;
}
