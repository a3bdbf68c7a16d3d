import { describe, expect, it } from 'vitest';
import { MemifError } from './memif-error.ts';
import { SEND_YIELD_EVERY, SendScheduler, type TxPort } from './send-scheduler.ts';

/** A ring of `size` slots (one per frame) that only the test empties. */
class FakeRing implements TxPort {
  readonly sent: Uint8Array[] = [];
  free: number;
  readonly size: number;
  problem: Error | undefined;
  maxLength = Number.POSITIVE_INFINITY;
  transmits = 0;
  readonly #listeners = new Set<() => void>();

  constructor(size: number) {
    this.size = size;
    this.free = size;
  }

  transmit(_queue: number, frames: readonly Uint8Array[], count: number): number {
    this.transmits++;
    let n = 0;
    while (n < count && this.free > 0 && (frames[n]?.byteLength ?? 0) <= this.size * 100) {
      this.sent.push(frames[n] as Uint8Array);
      this.free--;
      n++;
    }
    return n;
  }

  stage(_queue: number, frame: Uint8Array): boolean {
    if (this.problem !== undefined || this.free <= 0 || frame.byteLength > Math.min(this.maxLength, this.size * 100)) return false;
    this.sent.push(frame);
    this.free--;
    return true;
  }

  unusable(): Error | undefined {
    return this.problem;
  }

  maxFrameLength(): number {
    return this.maxLength;
  }

  ringEmpty(): boolean {
    return this.free === this.size;
  }

  room(): number {
    return this.free;
  }

  slotBytes(): number {
    return 2048;
  }

  watch(onChange: () => void): () => void {
    this.#listeners.add(onChange);
    return () => this.#listeners.delete(onChange);
  }

  get watchers(): number {
    return this.#listeners.size;
  }

  /** The peer consumes `n` frames and the interface gets an event. */
  consume(n: number): void {
    this.free = Math.min(this.size, this.free + n);
    for (const listener of this.#listeners) listener();
  }
}

const frame = (tag: number, length = 8): Uint8Array => new Uint8Array(length).fill(tag);
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('SendScheduler', () => {
  it('resolves waiting sends in FIFO order and never lets a new send overtake them', async () => {
    const ring = new FakeRing(2);
    const scheduler = new SendScheduler(ring);
    const order: number[] = [];
    await scheduler.send(frame(1), 0, undefined);
    await scheduler.send(frame(2), 0, undefined);
    const waiting = [3, 4, 5].map((tag) => scheduler.send(frame(tag), 0, undefined).then(() => order.push(tag)));
    expect(scheduler.hasWaiters(0)).toBe(true);
    ring.consume(1);
    await turn();
    // One slot came free: the oldest waiter takes it; a newcomer queues behind the others.
    const late = scheduler.send(frame(6), 0, undefined).then(() => order.push(6));
    ring.consume(2);
    await turn();
    ring.consume(2);
    await Promise.all([...waiting, late]);
    expect(order).toEqual([3, 4, 5, 6]);
    expect(ring.sent.map((f) => f[0])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ring.watchers).toBe(0);
  });

  it('sends a batch in order across bursts, behind earlier waiters', async () => {
    const ring = new FakeRing(3);
    const scheduler = new SendScheduler(ring);
    await scheduler.sendMany([frame(1), frame(2)], 0, undefined);
    const batch = scheduler.sendMany([frame(3), frame(4), frame(5), frame(6)], 0, undefined);
    const single = scheduler.send(frame(7), 0, undefined);
    for (let i = 0; i < 6; i++) {
      ring.consume(1);
      await turn();
    }
    await Promise.all([batch, single]);
    expect(ring.sent.map((f) => f[0])).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('rejects an aborted send with an AbortError and lets the others go on', async () => {
    const ring = new FakeRing(1);
    const scheduler = new SendScheduler(ring);
    await scheduler.send(frame(1), 0, undefined);
    const controller = new AbortController();
    const aborted = scheduler.send(frame(2), 0, controller.signal);
    const next = scheduler.send(frame(3), 0, undefined);
    controller.abort(new Error('user gave up'));
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError', code: 'ABORT_ERR', cause: { message: 'user gave up' } });
    ring.consume(1);
    await next;
    expect(ring.sent.map((f) => f[0])).toEqual([1, 3]);
  });

  it('rejects at once when the signal is already aborted, sending nothing', async () => {
    const ring = new FakeRing(4);
    const scheduler = new SendScheduler(ring);
    await expect(scheduler.send(frame(1), 0, AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
    expect(ring.sent).toHaveLength(0);
  });

  it('refuses what is not a frame, an empty frame and one over the known limit', async () => {
    const ring = new FakeRing(4);
    ring.maxLength = 100;
    const scheduler = new SendScheduler(ring);
    const send = (value: unknown): Promise<void> => scheduler.send(value as Uint8Array, 0, undefined);
    await expect(send('hello')).rejects.toMatchObject({
      name: 'TypeError',
      code: 'ERR_INVALID_ARG_TYPE',
      message: expect.stringContaining("Received type string ('hello')"),
    });
    await expect(send(42)).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG_TYPE',
      message: expect.stringContaining('Received type number (42)'),
    });
    await expect(send(new Uint8Array(0))).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
    await expect(send(new Uint8Array(101))).rejects.toMatchObject({ code: 'ERR_MEMIF_FRAME_TOO_LARGE' });
    await expect(scheduler.sendMany([frame(1), 'x' as unknown as Uint8Array], 0, undefined)).rejects.toMatchObject({
      message: expect.stringContaining('"frames[1]"'),
    });
    expect(ring.sent).toHaveLength(0);
    await send(Buffer.from('a Buffer is a Uint8Array'));
    expect(ring.sent).toHaveLength(1);
  });

  it('rejects a frame that does not fit an empty ring, and every waiter when the ring becomes unusable', async () => {
    const ring = new FakeRing(1);
    const scheduler = new SendScheduler(ring);
    await expect(scheduler.send(new Uint8Array(1000), 0, undefined)).rejects.toMatchObject({ code: 'ERR_MEMIF_FRAME_TOO_LARGE' });
    await scheduler.send(frame(1), 0, undefined);
    const waiting = [scheduler.send(frame(2), 0, undefined), scheduler.send(frame(3), 0, undefined)];
    ring.problem = new MemifError('ERR_MEMIF_NOT_CONNECTED', 'down');
    ring.consume(0);
    for (const w of waiting) await expect(w).rejects.toMatchObject({ code: 'ERR_MEMIF_NOT_CONNECTED' });
    expect(ring.watchers).toBe(0);
  });

  it(`lets the event loop turn once every ${SEND_YIELD_EVERY} frames of a send loop`, async () => {
    const ring = new FakeRing(1_000_000);
    const scheduler = new SendScheduler(ring);
    let turns = 0;
    let stop = false;
    const count = (): void => {
      turns++;
      if (!stop) setImmediate(count);
    };
    setImmediate(count);
    for (let i = 0; i < SEND_YIELD_EVERY * 10; i++) await scheduler.send(frame(1), 0, undefined);
    stop = true;
    expect(turns).toBeGreaterThanOrEqual(9);
  });

  it('backs off while the ring stays full: a check per millisecond once the first 2 ms passed', async () => {
    const ring = new FakeRing(1);
    const scheduler = new SendScheduler(ring);
    await scheduler.send(frame(1), 0, undefined);
    const controller = new AbortController();
    const waiting = scheduler.send(frame(2), 0, controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const before = ring.transmits;
    await new Promise((resolve) => setTimeout(resolve, 200));
    const checks = ring.transmits - before;
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    // At most one check per millisecond (fewer under load); spinning would make tens of thousands.
    expect(checks).toBeLessThanOrEqual(200 + 2);
    expect(ring.watchers).toBe(0);
  });
});
