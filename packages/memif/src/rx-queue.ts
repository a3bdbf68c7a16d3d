import type { MasterReceiver, ReceiveBatch, RingView, SlaveReceiver } from '@memif/ring';
import { EventFd, FdWatcher, type NativeBinding } from '@memif/shm-native';
import type { MemifRxMode } from './memif-options.ts';

/** Frames received after this many empty polls in a row switch adaptive mode back to interrupts. */
const ADAPTIVE_IDLE_POLLS = 64;

/**
 * One receive queue of a connected interface: the ring we consume (M2S on a slave, S2M on a
 * master), its interrupt eventfd, and how we learn of new frames (interrupt, polling, adaptive).
 */
export class RxQueue {
  readonly index: number;
  readonly ring: RingView;
  readonly receiver: SlaveReceiver | MasterReceiver;
  readonly interrupt: EventFd;
  readonly #binding: NativeBinding | undefined;
  readonly #onReadable: (queue: number) => void;
  #watcher: FdWatcher | null = null;
  #mode: MemifRxMode = 'interrupt';
  #polling = false;
  #pollHandle: NodeJS.Immediate | null = null;
  #idlePolls = 0;
  #closed = false;
  /** Interrupts (eventfd wake-ups) received. */
  interrupts = 0;

  constructor(options: {
    index: number;
    ring: RingView;
    receiver: SlaveReceiver | MasterReceiver;
    interrupt: EventFd;
    onReadable: (queue: number) => void;
    binding?: NativeBinding | undefined;
  }) {
    this.index = options.index;
    this.ring = options.ring;
    this.receiver = options.receiver;
    this.interrupt = options.interrupt;
    this.#binding = options.binding;
    this.#onReadable = options.onReadable;
  }

  get mode(): MemifRxMode {
    return this.#mode;
  }

  /** Frames (or parts of frames) published by the peer and not yet received. */
  pending(): number {
    return this.receiver.pending();
  }

  receive(batch: ReceiveBatch, max?: number): number {
    return this.receiver.receive(batch, max);
  }

  release(): void {
    this.receiver.release();
  }

  /**
   * Applies a receive mode: interrupt clears MASK_INT and watches the eventfd; polling sets
   * MASK_INT and checks the ring on every turn of the event loop; adaptive starts as interrupt
   * and polls while traffic keeps coming.
   */
  setMode(mode: MemifRxMode): void {
    if (this.#closed) return;
    this.#mode = mode;
    if (mode === 'polling') this.#startPolling();
    else this.#startInterrupts();
  }

  /** Call after consuming: in polling and adaptive modes, keeps or ends the poll loop. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopPolling();
    this.#watcher?.close();
    this.#watcher = null;
  }

  #startInterrupts(): void {
    this.#stopPolling();
    this.receiver.setInterruptMasked(false);
    if (this.#watcher === null) {
      this.#watcher = new FdWatcher(this.interrupt.fd, () => this.#onInterrupt(), this.#binding);
    }
    this.#watcher.start('readable');
    // Frames published before the mask was cleared raised no signal: look once now.
    if (this.pending() > 0) queueMicrotask(() => this.#notify());
  }

  #onInterrupt(): void {
    this.interrupt.read();
    this.interrupts++;
    if (this.#mode === 'adaptive') {
      this.#watcher?.stop();
      this.receiver.setInterruptMasked(true);
      this.#idlePolls = 0;
      this.#polling = true;
      this.#schedulePoll();
    }
    this.#notify();
  }

  #startPolling(): void {
    this.#watcher?.stop();
    this.receiver.setInterruptMasked(true);
    this.#polling = true;
    this.#schedulePoll();
  }

  #stopPolling(): void {
    this.#polling = false;
    if (this.#pollHandle !== null) clearImmediate(this.#pollHandle);
    this.#pollHandle = null;
  }

  #schedulePoll(): void {
    if (this.#pollHandle === null && this.#polling && !this.#closed) {
      this.#pollHandle = setImmediate(() => this.#poll());
    }
  }

  #poll(): void {
    this.#pollHandle = null;
    if (!this.#polling || this.#closed) return;
    if (this.pending() > 0) {
      this.#idlePolls = 0;
      this.#notify();
    } else if (this.#mode === 'adaptive' && ++this.#idlePolls >= ADAPTIVE_IDLE_POLLS) {
      // Unmask first, then look again: a frame published in between would otherwise be missed.
      this.#polling = false;
      this.receiver.setInterruptMasked(false);
      this.#watcher?.start('readable');
      if (this.pending() > 0) this.#notify();
      return;
    }
    this.#schedulePoll();
  }

  #notify(): void {
    if (!this.#closed) this.#onReadable(this.index);
  }
}
