import type { ReceiveBatch } from '@memif/ring';
import { BurstIterator, type BurstSource } from './burst-iterator.ts';
import { retainFreedHeapForCopies } from './retain-freed-heap.ts';

/**
 * Most payload bytes per ArrayBuffer a copy allocates: below glibc's mmap threshold (128 KiB),
 * so a burst of jumbo frames reuses freed heap instead of an mmap(2) and page faults per burst.
 */
export const COPY_CHUNK_BYTES = 64 * 1024;

/**
 * Copies every frame of `batch` into new ArrayBuffers of up to {@link COPY_CHUNK_BYTES} (one for
 * a whole burst of small frames, a frame larger than that alone in one) and returns a view per
 * frame: one allocation of payload per burst rather than per frame. Each view owns its bytes
 * (nobody else writes them); views of one burst may share a `.buffer`. Allocates.
 */
export function copyBurst(batch: ReceiveBatch, into: Uint8Array[] = []): Uint8Array[] {
  retainFreedHeapForCopies();
  const count = batch.count;
  into.length = 0;
  let first = 0;
  while (first < count) {
    // Frames [first, end) share one buffer.
    let total = batch.frameLength(first);
    let end = first + 1;
    while (end < count && total + batch.frameLength(end) <= COPY_CHUNK_BYTES) total += batch.frameLength(end++);
    const bytes = new Uint8Array(total);
    let at = 0;
    for (let i = first; i < end; i++) {
      const length = batch.frameLength(i);
      const view = bytes.subarray(at, at + length);
      batch.copyFrame(i, view);
      into.push(view);
      at += length;
    }
    first = end;
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
    this.#bursts = new BurstIterator(source, queue, { signal: options.signal });
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
