import { DescFlag } from './desc-flag.ts';
import type { ReceiveBatch } from './receive-batch.ts';
import type { DropReason } from './ring-counters.ts';
import { RingEndpoint, type RingEndpointOptions } from './ring-endpoint.ts';
import { RingFlag } from './ring-flag.ts';
import { DESC_U16_STRIDE } from './ring-view.ts';

export type RingConsumerOptions = RingEndpointOptions;

/**
 * What both receivers share: walking published packets, checking every descriptor before any
 * byte is touched, dropping and counting bad packets (whose slots are still consumed) and leaving
 * a chain that ends with NEXT on the last published slot for the next poll. Never throws on peer
 * data.
 */
export abstract class RingConsumer extends RingEndpoint {
  /** Next index to read. */
  protected cursor: number;
  /** First index not yet given back to the peer. */
  protected released: number;

  protected constructor(options: RingConsumerOptions, index: number) {
    super(options);
    this.cursor = index;
    this.released = index;
  }

  /** Published entries after {@link cursor}, reading the peer's index afresh; 0 when implausible. */
  protected abstract published(): number;

  /**
   * Checks the descriptor of `slot` (read once: the peer may rewrite it meanwhile) and, when
   * good, appends its bytes to `batch`; otherwise returns why not.
   */
  protected abstract takeSegment(batch: ReceiveBatch, slot: number): DropReason | undefined;

  /** Gives every received slot back to the peer; views handed out before become invalid. */
  abstract release(): void;

  /** Slots received and not yet released. */
  get held(): number {
    return (this.cursor - this.released) & 0xffff;
  }

  /**
   * Receives up to `max` frames into `batch` (cleared first) as views into shared memory, valid
   * until {@link release}; returns the frames received. Allocates nothing (short of a batch growing
   * its segment storage for an unusually long chain).
   */
  receive(batch: ReceiveBatch, max: number = batch.capacity): number {
    batch.clear();
    const limit = Math.min(max, batch.capacity);
    const available = this.published();
    let taken = 0;
    while (batch.count < limit && taken < available) {
      const used = this.readPacket(batch, this.cursor + taken, available - taken);
      if (used === 0) break;
      taken += used;
    }
    this.cursor = (this.cursor + taken) & 0xffff;
    return batch.count;
  }

  /**
   * Slots the peer has published that we have not received yet, reading its index afresh; 0 (and
   * a `badIndex` count) when the index is implausible. Lets a poller look without receiving.
   */
  pending(): number {
    return this.published();
  }

  /** Sets or clears MASK_INT on this ring: whether we poll rather than want signals. */
  setInterruptMasked(masked: boolean): void {
    const flags = this.ring.loadFlags();
    this.ring.storeFlags(masked ? flags | RingFlag.MaskInt : flags & ~RingFlag.MaskInt);
  }

  /** Reads one packet starting at index `start`; returns the slots it used, 0 if incomplete. */
  private readPacket(batch: ReceiveBatch, start: number, available: number): number {
    const ring = this.ring;
    const mark = batch.segmentCount;
    let slots = 0;
    let length = 0;
    let reason: DropReason | undefined;
    for (;;) {
      if (slots === this.maxChain) {
        reason ??= 'chainTooLong';
        break;
      }
      if (slots === available) {
        batch.rollback(mark);
        return 0;
      }
      const slot = (start + slots) & ring.mask;
      const flags = ring.desc16[slot * DESC_U16_STRIDE] ?? 0;
      slots++;
      if (reason === undefined) {
        reason = this.takeSegment(batch, slot);
        if (reason === undefined) length += batch.segmentLength(batch.segmentCount - 1);
      }
      if ((flags & DescFlag.Next) === 0) break;
    }
    if (reason === undefined && length === 0) reason = 'zeroLength';
    if (reason === undefined) {
      batch.commitFrame(mark, length);
      this.counters.packets++;
      this.counters.bytes += length;
    } else {
      batch.rollback(mark);
      this.counters[reason]++;
      this.counters.dropped++;
    }
    return slots;
  }
}
