import type { ReceiveBatch } from '@memif/ring';
import { BurstIterator, type BurstSource } from './burst-iterator.ts';
import { COPY_BURST_FRAMES } from './receive-copies.ts';

/** A source whose receive steps copy frames out (see `receiveCopies`) rather than lend views. */
export interface CopySource extends BurstSource {
  rxCopies(queue: number, into: Uint8Array[], batch: ReceiveBatch, max: number): number;
}

/**
 * `for await (const frame of iface.frames(queue))`: received frames as copies the caller owns,
 * copied a burst at a time as they are received (see `receiveCopies`) and handed out one by one
 * without a promise chain per frame. Ends when the interface closes; rejects with an
 * `AbortError` when `signal` aborts, even between frames of a burst already copied.
 */
export class FrameIterator implements AsyncIterableIterator<Uint8Array> {
  readonly #bursts: BurstIterator;
  readonly #signal: AbortSignal | undefined;
  /** The copies of the last burst, refilled in place by the next one once all were handed out. */
  readonly #received: Uint8Array[] = [];
  #frames: Uint8Array[] = [];
  #next = 0;

  constructor(source: CopySource, queue: number, options: { signal?: AbortSignal | undefined } = {}) {
    this.#signal = options.signal;
    this.#bursts = new BurstIterator(source, queue, {
      signal: options.signal,
      batchSize: COPY_BURST_FRAMES,
      receive: (batch) => source.rxCopies(queue, this.#received, batch, COPY_BURST_FRAMES),
    });
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
    this.#frames = this.#received;
    this.#next = 1;
    return { value: this.#frames[0] as Uint8Array, done: false };
  }
}
