import { ReceiveBatch } from '@memif/ring';
import { AbortError } from './abort-error.ts';

/** What a receive iterator needs of the interface (its public burst API and events). */
export interface BurstSource {
  readonly state: string;
  rxBurst(queue: number, batch: ReceiveBatch, max?: number): number;
  rxRelease(queue: number): void;
  on(event: 'readable', listener: (queue: number) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  off(event: 'readable', listener: (queue: number) => void): unknown;
  off(event: 'close', listener: () => void): unknown;
  /** Told when this iterator starts and stops draining `queue` (see MemifInterface's send room). */
  readerStarted?(queue: number): void;
  readerEnded?(queue: number): void;
}

/** After this many bursts in a row without waiting, the iterator lets the event loop turn once. */
export const YIELD_EVERY_BURSTS = 16;

/**
 * `for await (const batch of iface.bursts(queue))`: each step is a {@link ReceiveBatch} of views
 * into shared memory, valid until the next step; the iterator releases them then, and when the
 * loop ends. Waits across disconnects (interrupt or poll wake-ups, no spinning) until the
 * interface closes (the loop ends) or `signal` aborts (rejects with an `AbortError`). Lets the
 * event loop turn every few bursts, so a peer that never pauses cannot starve timers and sends.
 * Allocates per burst (a promise and a result), not per frame.
 */
export class BurstIterator implements AsyncIterableIterator<ReceiveBatch> {
  readonly #source: BurstSource;
  readonly #queue: number;
  readonly #signal: AbortSignal | undefined;
  readonly #batch: ReceiveBatch;
  #held = false;
  /** A burst received while subscribing to wake-ups, not handed out yet. */
  #caught = false;
  #done = false;
  #reading = false;
  #burstsInARow = 0;
  readonly #receive: (batch: ReceiveBatch) => number;
  /** Whether a received step holds slots until the next step (false when `receive` gives them back itself). */
  readonly #holds: boolean;

  /**
   * `receive`, when given, replaces `rxBurst` as each step's receive: a receive that copies what
   * it takes and gives the slots back itself (the copying iterators); it returns the frames taken.
   */
  constructor(
    source: BurstSource,
    queue: number,
    options: { signal?: AbortSignal | undefined; batchSize?: number; receive?: (batch: ReceiveBatch) => number } = {},
  ) {
    this.#source = source;
    this.#queue = queue;
    this.#signal = options.signal;
    this.#batch = new ReceiveBatch(options.batchSize ?? 64);
    this.#receive = options.receive ?? ((batch) => source.rxBurst(queue, batch));
    this.#holds = options.receive === undefined;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<ReceiveBatch>> {
    this.#release();
    if (!this.#done && !this.#reading) {
      this.#reading = true;
      this.#source.readerStarted?.(this.#queue);
    }
    for (;;) {
      if (this.#done) return { value: undefined, done: true };
      if (this.#signal?.aborted === true) {
        this.#end();
        throw AbortError.from(this.#signal);
      }
      if (this.#source.state === 'closed') return this.#finish();
      if (this.#burstsInARow >= YIELD_EVERY_BURSTS) {
        this.#burstsInARow = 0;
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      if (this.#caught || this.#receive(this.#batch) > 0) {
        this.#caught = false;
        this.#held = this.#holds;
        this.#burstsInARow++;
        return { value: this.#batch, done: false };
      }
      this.#burstsInARow = 0;
      await this.#nextWakeUp();
    }
  }

  /** Ends the iteration (what `break` calls): releases the last batch. */
  async return(): Promise<IteratorResult<ReceiveBatch>> {
    return this.#finish();
  }

  /** Gives the current batch's slots back to the peer now, before the next step (its views go stale). */
  release(): void {
    this.#release();
  }

  #finish(): IteratorResult<ReceiveBatch> {
    this.#release();
    this.#end();
    return { value: undefined, done: true };
  }

  #end(): void {
    this.#done = true;
    if (!this.#reading) return;
    this.#reading = false;
    this.#source.readerEnded?.(this.#queue);
  }

  #release(): void {
    if (!this.#held && !this.#caught) return;
    this.#held = false;
    this.#caught = false;
    if (this.#holds) this.#source.rxRelease(this.#queue);
  }

  /**
   * Resolves on the next 'readable' of our queue (or a link change), 'close' or abort. Frames that
   * arrived before the listener was added raised their event already: the burst tried right after
   * subscribing catches them, held for the next step.
   */
  #nextWakeUp(): Promise<void> {
    return new Promise<void>((resolve) => {
      const source = this.#source;
      const signal = this.#signal;
      const done = (): void => {
        source.off('readable', onReadable);
        source.off('close', done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const onReadable = (queue: number): void => {
        if (queue === this.#queue || queue === -1) done();
      };
      source.on('readable', onReadable);
      source.on('close', done);
      signal?.addEventListener('abort', done, { once: true });
      if (this.#receive(this.#batch) > 0) {
        this.#caught = true;
        done();
      }
    });
  }
}
