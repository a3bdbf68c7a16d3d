import { RingConsumer, type RingConsumerOptions } from './ring-consumer.ts';
import type { DropReason } from './ring-counters.ts';
import { DESC_U16_STRIDE, DESC_U32_STRIDE } from './ring-view.ts';

export interface MasterReceiverOptions extends RingConsumerOptions {
  /** Largest descriptor length accepted; the slave's buffer size is unknown (default 65535). */
  readonly maxDescLength?: number;
}

/**
 * The master's side of an S2M ring (spec §3.2): it follows each descriptor into whichever region
 * it names, bounded by that region and {@link MasterReceiverOptions.maxDescLength}, and releases
 * slots by moving `tail`, clearing their flags first (spec §7.1: stale NEXT from DPDK < 26.03).
 */
export class MasterReceiver extends RingConsumer {
  readonly maxDescLength: number;

  /** Starts from the ring's current tail. */
  constructor(options: MasterReceiverOptions) {
    super(options, options.ring.loadTail());
    this.maxDescLength = options.maxDescLength ?? 0xffff;
  }

  release(): void {
    const held = this.held;
    const ring = this.ring;
    // Only slots that carry flags need the write: a store into every consumed descriptor would
    // pull each descriptor line over from the slave's core once more per burst.
    for (let k = 0; k < held; k++) {
      const slot = (this.released + k) & ring.mask;
      if (ring.descFlags(slot) !== 0) ring.setDescFlags(slot, 0);
    }
    this.released = this.cursor;
    ring.storeTail(this.cursor);
  }

  protected published(): number {
    const pending = (this.ring.loadHead() - this.released) & 0xffff;
    if (pending > this.ring.size || pending < this.held) {
      this.counters.badIndex++;
      return 0;
    }
    return pending - this.held;
  }

  protected checkSegment(slot: number): Uint8Array | DropReason {
    const ring = this.ring;
    const region = ring.desc16[slot * DESC_U16_STRIDE + 1] ?? 0;
    const length = ring.desc32[slot * DESC_U32_STRIDE + 1] ?? 0;
    const offset = ring.desc32[slot * DESC_U32_STRIDE + 2] ?? 0;
    const bytes = this.regions[region];
    if (bytes === undefined) return 'badRegion';
    if (length > this.maxDescLength) return 'badLength';
    if (offset + length > bytes.byteLength) return 'badOffset';
    this.checkedOffset = offset;
    this.checkedLength = length;
    return bytes;
  }
}
