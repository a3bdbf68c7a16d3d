import { DescFlag, type MasterTransmitter, type ReceiveBatch, SlaveTransmitter } from '@memif/ring';
import { type EventFd, EventFdSignaller, type NativeBinding } from '@memif/shm-native';

/** Staged frames published at once when this many wait: the peer gets work while we fill more. */
export const STAGE_BATCH = 32;

/**
 * One transmit queue of a connected interface: the ring we produce into and its eventfd. It
 * watches the ring's counters after every burst: an index the peer moved out of range, or (on a
 * master) a posted slot outside the mapped regions, would otherwise stall sending for good, so it
 * reports a fault and the link disconnects.
 */
export class TxQueue {
  readonly index: number;
  readonly transmitter: SlaveTransmitter | MasterTransmitter;
  readonly interrupt: EventFd;
  /** Signals `interrupt` without a write(2) the peer could make block (issue #13). */
  readonly #signaller: EventFdSignaller;
  readonly #onFault: (reason: string) => void;
  /** Slots published on this connection (no u16 wrap), to bound what can be in flight. */
  #publishedSlots = 0;
  /** Frames copied into the ring by {@link stage} and not yet published. */
  #staged = 0;
  #closed = false;
  readonly #flushSoon = (): void => {
    if (!this.#closed) this.flush();
  };
  /** Signals given to the peer. */
  signals = 0;
  /** Signals that could not be given (the fallback found the peer's eventfd blocking or full). */
  signalsRefused = 0;

  constructor(
    index: number,
    transmitter: SlaveTransmitter | MasterTransmitter,
    interrupt: EventFd,
    onFault: (reason: string) => void = () => {},
    binding?: NativeBinding,
  ) {
    this.index = index;
    this.transmitter = transmitter;
    this.interrupt = interrupt;
    this.#signaller = new EventFdSignaller(interrupt.fd, binding);
    this.#onFault = onFault;
  }

  /**
   * Publishes what is staged (its ring is still mapped), then releases the signaller; the
   * eventfd itself belongs to the link. Idempotent.
   */
  close(): void {
    if (this.#closed) return;
    this.flush();
    this.#closed = true;
    this.#signaller.close();
  }

  /**
   * Copies one frame into the ring without publishing it: `send()`'s path. What is staged goes
   * out with the next burst of this queue, once {@link STAGE_BATCH} frames wait, or at the end of
   * the current JavaScript turn (a `process.nextTick`, which runs only once the microtasks of an
   * `await send()` loop have drained, i.e. when it yields), whichever comes first. One index
   * store and one signal per batch instead of per frame; the frame's bytes are copied now, so the
   * caller may reuse its buffer at once. False when it does not fit now.
   */
  stage(frames: readonly Uint8Array[]): boolean {
    if (this.#closed || this.transmitter.stage(frames, 1) !== 1) return false;
    if (this.#staged++ === 0) process.nextTick(this.#flushSoon);
    else if (this.#staged >= STAGE_BATCH) this.flush();
    return true;
  }

  /** Publishes the staged frames now. */
  flush(): void {
    if (this.#staged === 0) return;
    const before = this.#ownIndex();
    this.transmitter.publish();
    this.#afterBurst(before, 0);
  }

  /**
   * Publishes frames (copying them into ring buffers, or into pool buffers on a zero-copy slave);
   * returns how many went out whole.
   */
  transmit(frames: readonly Uint8Array[], count: number): number {
    const before = this.#ownIndex();
    const sent = this.transmitter.transmit(frames, count);
    this.#afterBurst(before, sent);
    return sent;
  }

  /**
   * Publishes frames `[0, count)` of a receive batch (copying them from its segments, no view per
   * frame); returns how many went out whole.
   */
  transmitBatch(batch: ReceiveBatch, count: number): number {
    const before = this.#ownIndex();
    const sent = this.transmitter.transmitBatch(batch, count);
    this.#afterBurst(before, sent);
    return sent;
  }

  /** Zero-copy slave: publishes pool buffers as frames; see `SlaveTransmitter.transmitPooled`. */
  transmitPooled(transmitter: SlaveTransmitter, buffers: ArrayLike<number>, lengths: ArrayLike<number>, count?: number): number {
    const before = this.#ownIndex();
    const sent = transmitter.transmitPooled(buffers, lengths, count);
    this.#afterBurst(before, sent);
    return sent;
  }

  /**
   * Frames published on this connection that the peer has not consumed: lost if the connection
   * ends now. S2M (we are the slave): the slots between the master's `tail` and our `head`. M2S
   * (we are the master): the slave has no "consumed" index; it posts consumed slots again, so
   * the slots not posted back (N − free), bounded by what we published, are still unread (exact
   * for slaves that repost everything they consume, as DPDK, VPP and ours do). A frame is counted
   * by its last slot (NEXT clear). Never trusts the peer's index beyond the ring size.
   */
  unconsumedFrames(): number {
    const ring = this.transmitter.ring;
    const size = ring.size;
    const head = ring.loadHead();
    const tail = ring.loadTail();
    const ours = this.transmitter instanceof SlaveTransmitter;
    const unread = ours ? (head - tail) & 0xffff : size - Math.min((head - tail) & 0xffff, size);
    const slots = Math.min(unread, size, this.#publishedSlots);
    const first = ours ? tail : (tail - slots) & 0xffff;
    let frames = 0;
    for (let k = 0; k < slots; k++) {
      if ((ring.descFlags((first + k) & ring.mask) & DescFlag.Next) === 0) frames++;
    }
    return frames;
  }

  #ownIndex(): number {
    const ring = this.transmitter.ring;
    return this.transmitter instanceof SlaveTransmitter ? ring.loadHead() : ring.loadTail();
  }

  #afterBurst(indexBefore: number, sent: number): void {
    // A burst publishes the staged frames too.
    if (sent > 0 || this.#staged > 0) {
      this.#staged = 0;
      this.#publishedSlots += (this.#ownIndex() - indexBefore) & 0xffff;
      this.notify();
    }
    const fault = this.fault();
    if (fault !== undefined) this.#onFault(fault);
  }

  /** Why this ring cannot be used any more, or undefined while it is healthy. */
  fault(): string | undefined {
    const c = this.transmitter.counters;
    if (c.badIndex > 0) return `Ring index out of range on tx ring ${this.index}`;
    if (c.badRegion + c.badOffset + c.badLength > 0) return `Bad posted slot on tx ring ${this.index}`;
    return undefined;
  }

  /** Signals the peer once per burst, when its MASK_INT asks for signals. */
  notify(): void {
    if (!this.transmitter.shouldNotify() || this.#signaller.closed) return;
    // A signal that cannot be given means the peer made its eventfd blocking or never reads
    // it: its own wake-up is what it loses, nothing of ours waits.
    if (this.#signaller.signal()) this.signals++;
    else this.signalsRefused++;
  }
}
