import type { MasterTransmitter, SlaveTransmitter } from '@memif/ring';
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
    const sent = this.transmitter.transmit(frames, count);
    if (sent > 0) this.notify();
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
