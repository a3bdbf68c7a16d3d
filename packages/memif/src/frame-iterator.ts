import type { ReceiveBatch } from '@memif/ring';
import { BurstIterator, type BurstSource } from './burst-iterator.ts';

/**
 * Copies every frame of `batch` into one new ArrayBuffer and returns a view per frame: one
 * allocation of payload per burst instead of one per frame. Each view owns its bytes (nobody
 * else writes them); they share one `.buffer`. Allocates.
 */
export function copyBurst(batch: ReceiveBatch, into: Uint8Array[] = []): Uint8Array[] {
  const count = batch.count;
  let total = 0;
  for (let i = 0; i < count; i++) total += batch.frameLength(i);
  const bytes = new Uint8Array(total);
  let at = 0;
  into.length = 0;
  for (let i = 0; i < count; i++) {
    const length = batch.frameLength(i);
    const view = bytes.subarray(at, at + length);
    batch.copyFrame(i, view);
    into.push(view);
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
