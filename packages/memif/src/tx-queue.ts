import { SlaveTransmitter, type BufferPool, type MasterTransmitter } from '@memif/ring';
import type { EventFd } from '@memif/shm-native';

/** One transmit queue of a connected interface: the ring we produce into and its eventfd. */
export class TxQueue {
  readonly index: number;
  readonly transmitter: SlaveTransmitter | MasterTransmitter;
  readonly interrupt: EventFd;
  /** Signals written to the peer. */
  signals = 0;

  constructor(index: number, transmitter: SlaveTransmitter | MasterTransmitter, interrupt: EventFd) {
    this.index = index;
    this.transmitter = transmitter;
    this.interrupt = interrupt;
  }

  /** Publishes frames (copying them into ring buffers); returns how many went out whole. */
  transmit(frames: readonly Uint8Array[], count: number): number {
    const transmitter = this.transmitter;
    const sent =
      transmitter instanceof SlaveTransmitter && transmitter.buffers === undefined
        ? this.#transmitThroughPool(transmitter, frames, count)
        : transmitter.transmit(frames, count);
    if (sent > 0) this.notify();
    return sent;
  }

  /** Pooled buffers handed to the transmitter, reused from burst to burst. */
  #poolIndices = new Int32Array(32);
  #poolLengths = new Uint32Array(32);

  /**
   * Zero-copy slave, copy API: each frame is copied once into a pool buffer, which then goes out
   * without further copying. A frame larger than one pool buffer cannot be sent this way.
   */
  #transmitThroughPool(transmitter: SlaveTransmitter, frames: readonly Uint8Array[], count: number): number {
    const pool = transmitter.pool as BufferPool;
    if (this.#poolIndices.length < count) {
      this.#poolIndices = new Int32Array(count);
      this.#poolLengths = new Uint32Array(count);
    }
    let staged = 0;
    const free = transmitter.freeSlots();
    while (staged < count && staged < free) {
      const frame = frames[staged];
      if (frame === undefined || frame.byteLength > pool.bufferSize) break;
      const buffer = pool.alloc();
      if (buffer < 0) break;
      pool.view(buffer).set(frame);
      this.#poolIndices[staged] = buffer;
      this.#poolLengths[staged] = frame.byteLength;
      staged++;
    }
    const sent = staged === 0 ? 0 : transmitter.transmitPooled(this.#poolIndices, this.#poolLengths, staged);
    for (let i = sent; i < staged; i++) pool.free(this.#poolIndices[i] ?? -1);
    return sent;
  }

  /** Signals the peer once per burst, when its MASK_INT asks for signals. */
  notify(): void {
    if (!this.transmitter.shouldNotify()) return;
    try {
      this.interrupt.write(1);
      this.signals++;
    } catch {
      // A full counter (the peer never reads) already means "wake up": nothing more to say.
    }
  }
}
