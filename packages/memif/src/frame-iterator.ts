import type { ReceiveBatch } from '@memif/ring';
import { BurstIterator, type BurstSource } from './burst-iterator.ts';
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
 * Copies every frame of `batch` and returns a copy per frame that the caller owns (nobody else
 * writes its bytes). A frame of at most {@link OWN_ARRAY_MAX_BYTES} gets an array of its own;
 * larger ones share new ArrayBuffers of up to {@link COPY_CHUNK_BYTES} (one for a burst of
 * 1500-byte frames; a frame larger than that alone in one): one allocation of payload per burst
 * rather than per frame. Allocates.
 */
export function copyBurst(batch: ReceiveBatch, into: Uint8Array[] = []): Uint8Array[] {
  retainFreedHeapForCopies();
  const count = batch.count;
  into.length = count;
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
        into[i] = new Uint8Array(batch.segmentView(segment));
        continue;
      }
      const own = new Uint8Array(length);
      batch.copyFrame(i, own);
      into[i] = own;
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
    into[i] = view;
    at += length;
  }
  return into;
}

/**
 * `for await (const frame of iface.frames(queue))`: received frames as copies the caller owns,
 * copied a burst at a time (see {@link copyBurst}) and handed out one by one without a promise
 * chain per frame. Ends when the interface closes; rejects with an `AbortError` when `signal`
 * aborts, even between frames of a burst already copied.
 */
export class FrameIterator implements AsyncIterableIterator<Uint8Array> {
  readonly #bursts: BurstIterator;
  readonly #signal: AbortSignal | undefined;
  #frames: Uint8Array[] = [];
  #next = 0;

  constructor(source: BurstSource, queue: number, options: { signal?: AbortSignal | undefined } = {}) {
    this.#signal = options.signal;
    this.#bursts = new BurstIterator(source, queue, { signal: options.signal, batchSize: COPY_BURST_FRAMES });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    if (this.#next < this.#frames.length) {
      if (this.#signal?.aborted === true) return this.#refill();
      const value = this.#frames[this.#next++] as Uint8Array;
      return Promise.resolve({ value, done: false });
    }
    return this.#refill();
  }

  async return(): Promise<IteratorResult<Uint8Array>> {
    this.#frames = [];
    this.#next = 0;
    await this.#bursts.return();
    return { value: undefined, done: true };
  }

  async #refill(): Promise<IteratorResult<Uint8Array>> {
    // Every frame of the last burst was handed out (or the signal aborted, which the burst
    // iterator reports): the next burst replaces them.
    this.#frames = [];
    this.#next = 0;
    const step = await this.#bursts.next();
    if (step.done === true) return { value: undefined, done: true };
    this.#frames = copyBurst(step.value);
    this.#bursts.release();
    this.#next = 1;
    return { value: this.#frames[0] as Uint8Array, done: false };
  }
}
