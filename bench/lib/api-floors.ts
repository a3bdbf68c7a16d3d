/**
 * Yardsticks for the "API" section: what the per-frame `await` shapes of `frames()` and `send()`
 * cost by themselves on this machine in this round. They touch no ring and no peer, so they do
 * less than those methods, not equal work: a method's ratio to the burst API cannot exceed its
 * floor's ratio.
 */

/** `for await` over an iterator of copies it owns, made from memory no other core writes. */
export const RX_FLOOR = 'floor: for await over own copies, no ring';
/** An `await` per frame of an async call that copies the frame into memory no other core reads. */
export const TX_FLOOR = 'floor: await per frame of a copying call, no ring';

/** Frames per step of the receive floor, as `frames()` copies them. */
const BURST = 256;
/** The event loop turns every this many frames, as in `frames()` (16 bursts) and `send()`. */
const RX_TURN_EVERY = 16 * BURST;
const TX_TURN_EVERY = 256;
const SLOTS = 1024;
const SLOT_BYTES = 2048;

/** `size` bytes at the start of each slot of a local region laid out as a memif ring's buffers. */
function slotViews(size: number): Uint8Array[] {
  const region = new Uint8Array(SLOTS * SLOT_BYTES);
  return Array.from({ length: SLOTS }, (_, i) => region.subarray(i * SLOT_BYTES, i * SLOT_BYTES + size));
}

/**
 * The receive floor, `frames()` without its ring: a copy per frame that the caller owns (an array
 * of its own, as `frames()` gives frames of up to 64 bytes), a burst at a time, handed out as
 * resolved promises. Endless; the caller breaks out.
 */
export class InMemoryFrames implements AsyncIterableIterator<Uint8Array> {
  readonly #slots: Uint8Array[];
  readonly #copies: Uint8Array[] = [];
  #next = 0;
  #slot = 0;
  #handedOut = 0;

  constructor(size: number) {
    this.#slots = slotViews(size).map((slot) => slot.fill(0x5a));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    if (++this.#handedOut === RX_TURN_EVERY) {
      this.#handedOut = 0;
      return new Promise((resolve) => setImmediate(() => resolve(this.next())));
    }
    if (this.#next === this.#copies.length) {
      for (let i = 0; i < BURST; i++) this.#copies[i] = new Uint8Array(this.#slots[(this.#slot + i) % SLOTS] as Uint8Array);
      this.#slot = (this.#slot + BURST) % SLOTS;
      this.#next = 0;
    }
    return Promise.resolve({ value: this.#copies[this.#next++] as Uint8Array, done: false });
  }
}

/** The send floor, `send()` without its ring: an async call that copies into a ring of slots. */
export class InMemorySink {
  readonly #slots: Uint8Array[];
  #slot = 0;

  constructor(size: number) {
    this.#slots = slotViews(size);
  }

  async send(frame: Uint8Array): Promise<void> {
    (this.#slots[this.#slot] as Uint8Array).set(frame);
    this.#slot = (this.#slot + 1) % SLOTS;
    if (this.#slot % TX_TURN_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
  }
}
