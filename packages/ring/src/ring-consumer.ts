import { DescFlag } from './desc-flag.ts';
import type { ReceiveBatch } from './receive-batch.ts';
import type { DropReason } from './ring-counters.ts';
import { RingEndpoint, type RingEndpointOptions } from './ring-endpoint.ts';
import { RingFlag } from './ring-flag.ts';
import { DESC_U16_STRIDE } from './ring-view.ts';

export type RingConsumerOptions = RingEndpointOptions;

const EMPTY = new Uint8Array(0);

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

  /**
   * True while the slots we read belong to a chain already dropped as too long: its last slot
   * so far said NEXT, so the next published slot continues it and must not start a frame.
   */
  private discardingChain = false;

  /** Per slot, the last exact view handed out for it (see {@link ReceiveBatch.segmentView}). */
  private readonly slotView: Uint8Array[];
  private readonly slotViewBytes: Uint8Array[];
  private readonly slotViewOffset: Uint32Array;
  private readonly slotViewLength: Uint32Array;

  protected constructor(options: RingConsumerOptions, index: number) {
    super(options);
    this.cursor = index;
    this.released = index;
    const size = options.ring.size;
    this.slotView = new Array<Uint8Array>(size).fill(EMPTY);
    this.slotViewBytes = new Array<Uint8Array>(size).fill(EMPTY);
    this.slotViewOffset = new Uint32Array(size);
    this.slotViewLength = new Uint32Array(size);
  }

  /**
   * Whether the last {@link receiveCopies} stopped before a frame it does not take (chained,
   * longer than its `maxLength`, or the rest of a chain being discarded): {@link receive} takes it.
   */
  leftForReceive = false;

  /** Where the segment last passed by {@link checkSegment} lies in the bytes it returned. */
  protected checkedOffset = 0;
  protected checkedLength = 0;

  /**
   * An exact view of the checked segment (`bytes`, `offset`, `length`) of `slot`, reusing the
   * slot's previous view when it covers the same bytes: constant-size traffic then allocates
   * nothing, and a changed length allocates one view.
   */
  private slotViewOf(slot: number, bytes: Uint8Array, offset: number, length: number): Uint8Array {
    let view = this.slotView[slot] ?? EMPTY;
    if (this.slotViewBytes[slot] !== bytes || this.slotViewOffset[slot] !== offset || this.slotViewLength[slot] !== length) {
      view = length === 0 ? EMPTY : bytes.subarray(offset, offset + length);
      this.slotView[slot] = view;
      this.slotViewBytes[slot] = bytes;
      this.slotViewOffset[slot] = offset;
      this.slotViewLength[slot] = length;
    }
    return view;
  }

  /**
   * Checks the descriptor of `slot` (read once: the peer may rewrite it meanwhile). When good,
   * returns the region bytes it lies in and sets {@link checkedOffset} and {@link checkedLength};
   * otherwise returns why it is refused.
   */
  protected abstract checkSegment(slot: number): Uint8Array | DropReason;

  /** Checks the descriptor of `slot` and, when good, appends its bytes to `batch`; otherwise returns why not. */
  private takeSegment(batch: ReceiveBatch, slot: number): DropReason | undefined {
    const bytes = this.checkSegment(slot);
    if (typeof bytes === 'string') return bytes;
    const offset = this.checkedOffset;
    const length = this.checkedLength;
    batch.pushSegment(bytes, offset, length, this.slotViewOf(slot, bytes, offset, length));
    return undefined;
  }

  /** Published entries after {@link cursor}, reading the peer's index afresh; 0 when implausible. */
  protected abstract published(): number;

  /** Gives every received slot back to the peer; views handed out before become invalid. */
  abstract release(): void;

  /**
   * True while the rest of a chain already dropped (longer than `maxChain`) is still to come:
   * the slots consumed for it then count no further drop.
   */
  get discardingChainRest(): boolean {
    return this.discardingChain;
  }

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
    const ring = this.ring;
    let taken = 0;
    while (batch.count < limit && taken < available) {
      const slot = (this.cursor + taken) & ring.mask;
      if (!this.discardingChain && ((ring.desc16[slot * DESC_U16_STRIDE] ?? 0) & DescFlag.Next) === 0) {
        // Fast path: a frame of one slot, checked as readPacket checks it, with no chain walk.
        taken++;
        this.takeSingle(batch, slot);
        continue;
      }
      const used = this.readPacket(batch, this.cursor + taken, available - taken);
      if (used === 0) break;
      taken += used;
    }
    this.cursor = (this.cursor + taken) & 0xffff;
    return batch.count;
  }

  /**
   * Receives up to `max` frames as copies the caller owns, written to `into[0, n)`; returns n.
   * Takes one-slot frames of 1 to `maxLength` bytes only, checked as {@link receive} checks them,
   * and stops before the first frame that is chained or longer (or a chain being discarded),
   * which {@link receive} then takes (see {@link leftForReceive}). Bad descriptors are dropped
   * and counted on the way. The slots stay held until {@link release}, as after {@link receive}.
   * Allocates each copy: V8 keeps arrays of up to 64 bytes on its own heap, which costs less
   * than any view.
   */
  receiveCopies(into: Uint8Array[], max: number, maxLength: number): number {
    const ring = this.ring;
    const desc16 = ring.desc16;
    this.leftForReceive = this.discardingChain;
    const available = this.discardingChain ? 0 : this.published();
    let taken = 0;
    let count = 0;
    let received = 0;
    while (count < max && taken < available) {
      const slot = (this.cursor + taken) & ring.mask;
      if (((desc16[slot * DESC_U16_STRIDE] ?? 0) & DescFlag.Next) !== 0) {
        this.leftForReceive = true;
        break;
      }
      const bytes = this.checkSegment(slot);
      if (typeof bytes === 'string') {
        taken++;
        this.countDrop(bytes);
        continue;
      }
      const length = this.checkedLength;
      if (length > maxLength) {
        this.leftForReceive = true;
        break;
      }
      taken++;
      if (length === 0) {
        this.countDrop('zeroLength');
        continue;
      }
      // The array constructor copies from the slot's view: the cheapest copy V8 has for a frame this small.
      into[count++] = new Uint8Array(this.slotViewOf(slot, bytes, this.checkedOffset, length));
      received += length;
    }
    this.cursor = (this.cursor + taken) & 0xffff;
    this.counters.packets += count;
    this.counters.bytes += received;
    return count;
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

  /**
   * Reads one packet starting at index `start`; returns the slots it used, 0 if incomplete. A
   * chain longer than `maxChain` is consumed to its end, even across later polls, and dropped
   * once: what follows its cut would otherwise look like a frame of its own.
   */
  private readPacket(batch: ReceiveBatch, start: number, available: number): number {
    if (this.discardingChain) return this.discardChainRest(start, available);
    const ring = this.ring;
    const mark = batch.segmentCount;
    let slots = 0;
    let length = 0;
    let reason: DropReason | undefined;
    for (;;) {
      if (slots === this.maxChain) {
        batch.rollback(mark);
        this.countDrop(reason ?? 'chainTooLong');
        this.discardingChain = true;
        return slots + this.discardChainRest(start + slots, available - slots);
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
    this.finishFrame(batch, mark, length, reason);
    return slots;
  }

  /** Receives the one-slot frame in `slot` (NEXT clear), or drops and counts it. */
  private takeSingle(batch: ReceiveBatch, slot: number): void {
    const mark = batch.segmentCount;
    const reason = this.takeSegment(batch, slot);
    this.finishFrame(batch, mark, reason === undefined ? batch.segmentLength(mark) : 0, reason);
  }

  /**
   * Closes the frame of the segments pushed since `mark` (`length` bytes in all) and counts it,
   * or, when a segment was bad or the frame is empty, takes them back and counts the drop.
   */
  private finishFrame(batch: ReceiveBatch, mark: number, length: number, reason: DropReason | undefined): void {
    const drop = reason ?? (length === 0 ? 'zeroLength' : undefined);
    if (drop === undefined) {
      batch.commitFrame(mark, length);
      this.counters.packets++;
      this.counters.bytes += length;
    } else {
      batch.rollback(mark);
      this.countDrop(drop);
    }
  }

  /** Counts a packet dropped for `reason`. */
  private countDrop(reason: DropReason): void {
    this.counters[reason]++;
    this.counters.dropped++;
  }

  /** Consumes the slots of a dropped chain up to and including its last one; returns how many. */
  private discardChainRest(start: number, available: number): number {
    const ring = this.ring;
    let slots = 0;
    while (slots < available) {
      const slot = (start + slots) & ring.mask;
      slots++;
      if (((ring.desc16[slot * DESC_U16_STRIDE] ?? 0) & DescFlag.Next) === 0) {
        this.discardingChain = false;
        break;
      }
    }
    return slots;
  }
}
