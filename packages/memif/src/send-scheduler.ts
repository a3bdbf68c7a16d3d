import { AbortError } from './abort-error.ts';
import { checkFrame, checkFrames } from './frame-check.ts';
import { keepAlive } from './keep-alive.ts';
import { MemifError } from './memif-error.ts';

/** `send()` lets the event loop run (receive work above all) after this many frames in a row. */
export const SEND_YIELD_EVERY = 256;
/**
 * Re-checks for ring space on every turn of the event loop for this long after the last progress
 * before backing off: a peer that was only descheduled for a moment is caught at once.
 */
const SPIN_MS = 2;
/**
 * Longest pause between two checks of a full ring whose peer does not consume: 1 ms costs a few
 * percent of a core while a peer stalls, and catches a peer that was descheduled (a loaded
 * machine) within a millisecond of its return; longer pauses left most of its drains unused.
 */
const MAX_BACKOFF_MS = 1;

/** What the scheduler needs from the interface, for one transmit queue. */
export interface TxPort {
  /** Sends `frames[0..count)` now as far as they fit whole; returns how many went. */
  transmit(queue: number, frames: readonly Uint8Array[], count: number): number;
  /** Why nothing can be sent on `queue` now and never will on this connection, or undefined. */
  unusable(queue: number): Error | undefined;
  /** The largest frame `queue` can ever take, when known before trying. */
  maxFrameLength(queue: number): number;
  /** True when the ring of `queue` has every slot free (a frame that does not fit then never will). */
  ringEmpty(queue: number): boolean;
  /**
   * Slots this API may still fill on `queue` now: the free slots beyond half the ring. Keeping
   * half the ring free bounds what is in flight, so the replies of a forwarding peer (testpmd
   * macswap, an echo) always find room in our receive ring, even after the peer stalled and
   * then forwarded everything at once.
   */
  room(queue: number): number;
  /** Bytes one slot of `queue` holds (an estimate where the peer chose the buffers). */
  slotBytes(queue: number): number;
  /**
   * The fast path: copies `frame` into `queue`'s ring to be published at the end of the turn
   * (with up to a burst of others) when the queue is connected, {@link room} allows and it fits
   * now; false otherwise, and the checked path takes over. `frame` is a non-empty Uint8Array.
   */
  stage(queue: number, frame: Uint8Array): boolean;
  /** Subscribes to moments worth a new look (frames arrived, link changed, closed); returns the unsubscribe. */
  watch(onChange: () => void): () => void;
}

interface Waiter {
  readonly frames: readonly Uint8Array[];
  sent: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

interface QueueState {
  readonly waiters: Waiter[];
  sinceYield: number;
  idleRounds: number;
  /** When the ring last took a frame of a waiter (or the wait began), in ms. */
  lastProgress: number;
  immediate: NodeJS.Immediate | undefined;
  timer: NodeJS.Timeout | undefined;
  unwatch: (() => void) | undefined;
}

const RESOLVED = Promise.resolve();

function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Fair, ordered sending over the burst API. A send goes out at once when nobody waits before it
 * and the ring has room; otherwise it joins a FIFO of waiters, checked again on the interface's
 * own events and on a timer that backs off from every event-loop turn to every millisecond, so
 * a peer that stops consuming costs little CPU. Every {@link SEND_YIELD_EVERY} frames a send resolves
 * only after one turn of the event loop, so a loop of `await send()` lets receive work run.
 */
export class SendScheduler {
  readonly #port: TxPort;
  readonly #queues: QueueState[] = [];
  readonly #one: Uint8Array[] = [new Uint8Array(1)];
  #refed = true;

  constructor(port: TxPort) {
    this.#port = port;
  }

  /** Sends one frame, in order with every other send of `queue`. */
  send(frame: Uint8Array, queue: number, signal: AbortSignal | undefined): Promise<void> {
    // Nobody waits before it and there is room: copied now, published with the turn's others.
    if (frame instanceof Uint8Array && frame.byteLength > 0 && signal?.aborted !== true) {
      const state = this.#queues[queue];
      if ((state === undefined || state.waiters.length === 0) && this.#port.stage(queue, frame)) {
        return this.#afterSent(state ?? this.#state(queue), 1);
      }
    }
    try {
      if (signal?.aborted === true) throw AbortError.from(signal);
      checkFrame(frame, this.#port.maxFrameLength(queue));
      const unusable = this.#port.unusable(queue);
      if (unusable !== undefined) throw unusable;
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const state = this.#state(queue);
    if (state.waiters.length === 0 && this.#port.room(queue) > 0) {
      this.#one[0] = frame;
      const sent = this.#port.transmit(queue, this.#one, 1);
      this.#one[0] = EMPTY;
      if (sent === 1) return this.#afterSent(state, 1);
      const retried = this.#retryOnEmptyRing(queue, frame);
      if (retried === 'sent') return this.#afterSent(state, 1);
      if (retried !== undefined) return Promise.reject(retried);
    }
    return this.#enqueue(state, queue, [frame], signal);
  }

  /**
   * Sends `frames` in order, as many per burst as fit; resolves once all went out. What a
   * stream's `_writev` uses. The array is read, not kept, once this resolves.
   */
  sendMany(frames: readonly Uint8Array[], queue: number, signal: AbortSignal | undefined): Promise<void> {
    try {
      if (signal?.aborted === true) throw AbortError.from(signal);
      const max = this.#port.maxFrameLength(queue);
      checkFrames(frames, frames.length, max);
      const unusable = this.#port.unusable(queue);
      if (unusable !== undefined) throw unusable;
    } catch (error) {
      return Promise.reject(error as Error);
    }
    if (frames.length === 0) return RESOLVED;
    const state = this.#state(queue);
    let sent = 0;
    const room = state.waiters.length === 0 ? this.#port.room(queue) : 0;
    if (room > 0) {
      sent = this.#port.transmit(queue, frames, this.#fitting(queue, frames, 0, room));
      if (sent === frames.length) return this.#afterSent(state, sent);
      if (sent === 0) {
        const retried = this.#retryOnEmptyRing(queue, frames[0] as Uint8Array);
        if (retried === 'sent') sent++;
        else if (retried !== undefined) return Promise.reject(retried);
      }
    }
    return this.#enqueue(state, queue, frames, signal, sent);
  }

  /** How many frames from `from` fit in `room` slots (at least one: a frame larger than the room waits for an emptier ring). */
  #fitting(queue: number, frames: readonly Uint8Array[], from: number, room: number): number {
    const slotBytes = Math.max(1, this.#port.slotBytes(queue));
    let slots = 0;
    let count = 0;
    for (let i = from; i < frames.length; i++) {
      slots += Math.ceil((frames[i] as Uint8Array).byteLength / slotBytes);
      if (slots > room && count > 0) break;
      count++;
    }
    return count;
  }

  /** True when sends wait on `queue`: a `trySend` must not overtake them. */
  hasWaiters(queue: number): boolean {
    return (this.#queues[queue]?.waiters.length ?? 0) > 0;
  }

  #state(queue: number): QueueState {
    let state = this.#queues[queue];
    if (state === undefined) {
      state = { waiters: [], sinceYield: 0, idleRounds: 0, lastProgress: 0, immediate: undefined, timer: undefined, unwatch: undefined };
      this.#queues[queue] = state;
    }
    return state;
  }

  #afterSent(state: QueueState, frames: number): Promise<void> {
    state.sinceYield += frames;
    if (state.sinceYield < SEND_YIELD_EVERY) return RESOLVED;
    state.sinceYield = 0;
    return yieldToLoop();
  }

  /**
   * After `frame` did not fit: when the ring is empty (the peer may have emptied it since the
   * try), one more try decides between 'sent' and a frame too large for good; undefined means
   * wait for space.
   */
  #retryOnEmptyRing(queue: number, frame: Uint8Array): 'sent' | Error | undefined {
    if (!this.#port.ringEmpty(queue)) return undefined;
    this.#one[0] = frame;
    const sent = this.#port.transmit(queue, this.#one, 1);
    this.#one[0] = EMPTY;
    if (sent === 1) return 'sent';
    return new MemifError('ERR_MEMIF_FRAME_TOO_LARGE', `a frame of ${frame.byteLength} bytes does not fit an empty ring`);
  }

  #enqueue(state: QueueState, queue: number, frames: readonly Uint8Array[], signal: AbortSignal | undefined, sent = 0): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        frames,
        sent,
        resolve,
        reject,
        signal,
        onAbort: () => {
          const at = state.waiters.indexOf(waiter);
          if (at < 0) return;
          state.waiters.splice(at, 1);
          reject(AbortError.from(signal as AbortSignal));
          if (state.waiters.length === 0) this.#idle(state);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      if (state.waiters.length === 0) state.lastProgress = performance.now();
      state.waiters.push(waiter);
      if (state.unwatch === undefined) state.unwatch = this.#port.watch(() => this.#wake(state, queue));
      this.#schedule(state, queue);
    });
  }

  /**
   * Whether the timers that re-check a full ring keep the process alive. Like a write pending on
   * an unref'd `net.Socket`, a `send()` waiting on an unref'd interface does not: the process may
   * exit with the promise unsettled. (The one-turn yield every {@link SEND_YIELD_EVERY} frames
   * always runs: it ends on the next turn by itself.)
   */
  setRef(refed: boolean): void {
    this.#refed = refed;
    for (const state of this.#queues) {
      keepAlive(state?.immediate, refed);
      keepAlive(state?.timer, refed);
    }
  }

  /** An event the interface got: look now rather than at the end of the back-off. */
  #wake(state: QueueState, queue: number): void {
    state.idleRounds = 0;
    this.#cancelTimer(state);
    this.#schedule(state, queue);
  }

  #schedule(state: QueueState, queue: number): void {
    if (state.timer !== undefined || state.immediate !== undefined) return;
    const pump = (): void => {
      state.timer = undefined;
      state.immediate = undefined;
      this.#pump(state, queue);
    };
    if (state.idleRounds === 0 || performance.now() - state.lastProgress < SPIN_MS) {
      state.immediate = setImmediate(pump);
      keepAlive(state.immediate, this.#refed);
      return;
    }
    state.timer = setTimeout(pump, Math.min(MAX_BACKOFF_MS, 2 ** Math.min(state.idleRounds, 8) / 8));
    keepAlive(state.timer, this.#refed);
  }

  #cancelTimer(state: QueueState): void {
    // Each handle goes to its own clear function: clearImmediate() given a Timeout corrupts
    // Node's count of pending immediates.
    if (state.immediate !== undefined) clearImmediate(state.immediate);
    if (state.timer !== undefined) clearTimeout(state.timer);
    state.immediate = undefined;
    state.timer = undefined;
  }

  #pump(state: QueueState, queue: number): void {
    let progress = false;
    while (state.waiters.length > 0) {
      const waiter = state.waiters[0] as Waiter;
      const unusable = this.#port.unusable(queue);
      if (unusable !== undefined) {
        for (const w of state.waiters.splice(0)) this.#settle(w, unusable);
        break;
      }
      const room = this.#port.room(queue);
      if (room <= 0) break;
      const remaining = waiter.sent === 0 ? waiter.frames : waiter.frames.slice(waiter.sent);
      const sent = this.#port.transmit(queue, remaining, this.#fitting(queue, remaining, 0, room));
      waiter.sent += sent;
      if (sent > 0) progress = true;
      if (waiter.sent === waiter.frames.length) {
        state.waiters.shift();
        this.#settle(waiter, undefined);
        continue;
      }
      const retried = sent === 0 ? this.#retryOnEmptyRing(queue, waiter.frames[waiter.sent] as Uint8Array) : undefined;
      if (retried === undefined) break;
      if (retried === 'sent') {
        waiter.sent++;
        progress = true;
        continue;
      }
      state.waiters.shift();
      this.#settle(waiter, retried);
    }
    if (state.waiters.length === 0) {
      this.#idle(state);
      return;
    }
    if (progress) {
      state.idleRounds = 0;
      state.lastProgress = performance.now();
    } else if (performance.now() - state.lastProgress >= SPIN_MS) {
      state.idleRounds++;
    }
    this.#schedule(state, queue);
  }

  #settle(waiter: Waiter, error: Error | undefined): void {
    waiter.signal?.removeEventListener('abort', waiter.onAbort);
    if (error === undefined) waiter.resolve();
    else waiter.reject(error);
  }

  #idle(state: QueueState): void {
    this.#cancelTimer(state);
    state.idleRounds = 0;
    state.unwatch?.();
    state.unwatch = undefined;
  }
}

const EMPTY = new Uint8Array(0);
