import { DescFlag } from './desc-flag.ts';
import type { ReceiveBatch } from './receive-batch.ts';
import { RingEndpoint, type RingEndpointOptions } from './ring-endpoint.ts';
import { RingError } from './ring-error.ts';
import { RingFlag } from './ring-flag.ts';

export interface RingProducerOptions extends RingEndpointOptions {
  /**
   * Most bytes per descriptor even when a slot holds more, e.g. 2048 against DPDK ≥ 23.03, whose
   * rx fast path copies a descriptor into one mbuf unchecked (spec §7.3). Default: no extra limit.
   */
  readonly maxSegmentLength?: number;
}

const EMPTY = new Uint8Array(0);

/** Up to this many bytes a byte loop beats `set`. */
const SMALL_COPY = 16;

/**
 * What both transmitters share: frames are reserved slot by slot (filling each slot to capacity,
 * chaining with NEXT), their payload written, and all reserved frames published with one index
 * store. Descriptors are written at publish time from private copies, so an unpublished
 * reservation can be cancelled without losing what the peer posted.
 */
export abstract class RingProducer extends RingEndpoint {
  readonly maxSegmentLength: number;

  /** Our own index: what we published last. */
  protected index: number;
  /** Slots reserved after {@link index} and not yet published. */
  protected reserved = 0;
  protected readonly slotRegion: Uint16Array;
  protected readonly slotOffset: Uint32Array;
  protected readonly slotLength: Uint32Array;
  protected readonly slotFlags: Uint16Array;
  /** Capacity found by {@link probeSlot}. */
  protected readonly slotCapacity: Uint32Array;
  /**
   * Free slots by the peer's index as last read, counted from {@link index}: never more than are
   * really free, since the peer only ever frees slots. Lets {@link stage} skip reading shared
   * memory while it proves there is room.
   */
  private peerFreeSeen = 0;
  private frameStart = 0;
  private frameSlots = 0;
  private pendingPackets = 0;
  private pendingBytes = 0;

  protected constructor(options: RingProducerOptions, index: number) {
    super(options);
    const size = options.ring.size;
    this.maxSegmentLength = options.maxSegmentLength ?? Number.POSITIVE_INFINITY;
    if (!(this.maxSegmentLength >= 1)) {
      throw new RingError('ERR_RING_BAD_CONFIG', `maxSegmentLength must be at least 1, got ${this.maxSegmentLength}`);
    }
    this.index = index;
    this.slotRegion = new Uint16Array(size);
    this.slotOffset = new Uint32Array(size);
    this.slotLength = new Uint32Array(size);
    this.slotFlags = new Uint16Array(size);
    this.slotCapacity = new Uint32Array(size);
  }

  /** Slots the peer lets us fill now, reading its index afresh (and counting an implausible one). */
  protected abstract peerFreeSlots(): number;

  /** Checks slot `slot` and records its buffer in the slot arrays; false when it is unusable. */
  protected abstract probeSlot(slot: number): boolean;

  /** Writes the descriptor of one slot from the slot arrays. */
  protected abstract writeDescriptor(slot: number): void;

  /** Stores our new index for the peer to see. */
  protected abstract storeIndex(index: number): void;

  /**
   * Slots free for reservation. Reads the peer's index afresh unless `atLeast` is given and the
   * count from its last reading already shows that many free (the peer only frees slots, so an
   * old reading never overstates the room).
   */
  freeSlots(atLeast?: number): number {
    if (atLeast === undefined || this.peerFreeSeen - this.reserved < atLeast) this.readPeerFree();
    return Math.max(0, this.peerFreeSeen - this.reserved);
  }

  private readPeerFree(): number {
    this.peerFreeSeen = this.peerFreeSlots();
    return this.peerFreeSeen;
  }

  /**
   * Reserves the slots of one frame of `length` bytes (chained when it exceeds a slot) without
   * publishing it; false, with nothing reserved, when it does not fit whole.
   */
  reserve(length: number): boolean {
    return this.reserveWithin(length, this.peerFreeSlots());
  }

  /** {@link reserve} against `peerFree` slots read once for the whole burst. */
  private reserveWithin(length: number, peerFree: number): boolean {
    const mask = this.ring.mask;
    const free = peerFree - this.reserved;
    const start = this.index + this.reserved;
    let slots = 0;
    let room = 0;
    do {
      if (slots >= free || slots === this.maxChain) return false;
      const slot = (start + slots) & mask;
      if (!this.probeSlot(slot)) return false;
      room += Math.min(this.slotCapacity[slot] ?? 0, this.maxSegmentLength);
      slots++;
    } while (room < length);
    let remaining = length;
    for (let k = 0; k < slots; k++) {
      const slot = (start + k) & mask;
      const part = Math.min(this.slotCapacity[slot] ?? 0, this.maxSegmentLength, remaining);
      this.slotLength[slot] = part;
      this.slotFlags[slot] = k < slots - 1 ? DescFlag.Next : 0;
      remaining -= part;
    }
    this.frameStart = start;
    this.frameSlots = slots;
    this.reserved += slots;
    this.pendingPackets++;
    this.pendingBytes += length;
    return true;
  }

  /**
   * Copies `source` into the last reserved frame at byte `at` of the frame; returns the bytes
   * copied (fewer when the frame ends first). Allocates a subarray per slot only for chained frames.
   */
  write(source: Uint8Array, at = 0): number {
    const mask = this.ring.mask;
    let skip = at;
    let done = 0;
    for (let k = 0; k < this.frameSlots && done < source.byteLength; k++) {
      const slot = (this.frameStart + k) & mask;
      const length = this.slotLength[slot] ?? 0;
      if (skip >= length) {
        skip -= length;
        continue;
      }
      const bytes = this.regions[this.slotRegion[slot] ?? 0] ?? EMPTY;
      const offset = (this.slotOffset[slot] ?? 0) + skip;
      const part = Math.min(length - skip, source.byteLength - done);
      if (done === 0 && part === source.byteLength) bytes.set(source, offset);
      else bytes.set(source.subarray(done, done + part), offset);
      done += part;
      skip = 0;
    }
    return done;
  }

  /** Slots of the last reserved frame. */
  get reservedSegmentCount(): number {
    return this.frameSlots;
  }

  /**
   * A writable view of segment `k` of the last reserved frame, to build a frame in place
   * (libmemif's buffer_alloc style). Allocates the view.
   */
  reservedSegment(k: number): Uint8Array {
    const slot = (this.frameStart + k) & this.ring.mask;
    const bytes = this.regions[this.slotRegion[slot] ?? 0] ?? EMPTY;
    const offset = this.slotOffset[slot] ?? 0;
    return bytes.subarray(offset, offset + (this.slotLength[slot] ?? 0));
  }

  /**
   * Reserves the slots of a whole frame already in memory at (`region`, `offset`): the zero-copy
   * path, which writes no payload. A frame longer than {@link maxSegmentLength} becomes a chain of
   * descriptors into consecutive parts of the same memory. False when the slots are not free.
   */
  protected reserveInPlace(region: number, offset: number, length: number): boolean {
    const slots = Math.max(1, Math.ceil(length / this.maxSegmentLength));
    if (slots > this.maxChain || this.peerFreeSlots() - this.reserved < slots) return false;
    const start = this.index + this.reserved;
    let remaining = length;
    for (let k = 0; k < slots; k++) {
      const slot = (start + k) & this.ring.mask;
      const part = Math.min(remaining, this.maxSegmentLength);
      this.slotRegion[slot] = region;
      this.slotOffset[slot] = offset + (length - remaining);
      this.slotLength[slot] = part;
      this.slotFlags[slot] = k < slots - 1 ? DescFlag.Next : 0;
      remaining -= part;
    }
    this.frameStart = start & 0xffff;
    this.frameSlots = slots;
    this.reserved += slots;
    this.pendingPackets++;
    this.pendingBytes += length;
    return true;
  }

  /** Forgets every unpublished reservation. */
  cancel(): void {
    this.reserved = 0;
    this.frameSlots = 0;
    this.pendingPackets = 0;
    this.pendingBytes = 0;
  }

  /**
   * Writes the descriptors of every reserved frame, then publishes them with one index store;
   * returns the frames published.
   */
  publish(): number {
    const frames = this.pendingPackets;
    if (this.reserved === 0) {
      this.cancel();
      return 0;
    }
    const mask = this.ring.mask;
    for (let k = 0; k < this.reserved; k++) this.writeDescriptor((this.index + k) & mask);
    this.index = (this.index + this.reserved) & 0xffff;
    this.peerFreeSeen = Math.max(0, this.peerFreeSeen - this.reserved);
    this.storeIndex(this.index);
    this.counters.packets += frames;
    this.counters.bytes += this.pendingBytes;
    this.cancel();
    return frames;
  }

  /**
   * Copies and publishes `count` frames from `frames[first]` on; stops at the first frame that
   * does not fit whole and returns how many were sent. A frame needing more than
   * {@link maxChain} slots never fits, so callers check lengths up front.
   */
  transmit(frames: readonly Uint8Array[], count: number = frames.length, first = 0): number {
    // The peer's index is read once per burst, not once per frame.
    const sent = this.stageFrom(frames, count, first, this.readPeerFree(), true);
    this.publish();
    return sent;
  }

  /**
   * Copies `count` frames from `frames[first]` on into reserved slots without publishing them,
   * after any frames reserved before: a later {@link publish} (or any burst) publishes them all
   * with one index store. Stops at the first frame that does not fit whole; returns how many
   * were staged. Reads the peer's index only when its last reading shows no room (see
   * {@link freeSlots}), so staging one frame at a time costs no shared-memory read per frame.
   */
  stage(frames: readonly Uint8Array[], count: number = frames.length, first = 0): number {
    return this.stageFrom(frames, count, first, this.peerFreeSeen, false);
  }

  /** {@link stage} against `peerFree` slots; `fresh` when that was read just now (no second read). */
  private stageFrom(frames: readonly Uint8Array[], count: number, first: number, peerFree: number, fresh: boolean): number {
    const mask = this.ring.mask;
    const regions = this.regions;
    let sent = 0;
    for (; sent < count; sent++) {
      const frame = frames[first + sent];
      if (frame === undefined) break;
      const length = frame.byteLength;
      const start = this.index + this.reserved;
      const slot = start & mask;
      // The ring looks full by an older reading of the peer's index: read it again, once.
      if (this.reserved >= peerFree) {
        if (fresh) break;
        peerFree = this.readPeerFree();
        fresh = true;
        if (this.reserved >= peerFree) break;
      }
      // A bad slot ends the burst (the probe counts it once).
      if (!this.probeSlot(slot)) break;
      // Fast path: the frame fits the next slot whole. One copy, no subarray, no chain walk.
      if (length <= (this.slotCapacity[slot] as number) && length <= this.maxSegmentLength) {
        (regions[this.slotRegion[slot] as number] ?? EMPTY).set(frame, this.slotOffset[slot] as number);
        this.reserveOneSlot(start, slot, length);
        continue;
      }
      if (!this.reserveWithin(length, peerFree)) {
        // A chain may need more slots than an older reading showed.
        if (fresh) break;
        const now = this.readPeerFree();
        fresh = true;
        if (now <= peerFree || !this.reserveWithin(length, now)) break;
        peerFree = now;
      }
      this.write(frame);
    }
    return sent;
  }

  /**
   * Copies and publishes frames `[first, first + count)` of a receive batch (of any ring, e.g. to
   * forward what was just received) straight from its segments, with no per-frame view; stops at
   * the first frame that does not fit whole and returns how many were sent. Allocates nothing for
   * frames whose segments have cached views (see `ReceiveBatch.segmentView`) and fit one slot.
   */
  transmitBatch(batch: ReceiveBatch, count: number = batch.count, first = 0): number {
    const peerFree = this.peerFreeSlots();
    const end = Math.min(batch.count, first + count);
    const mask = this.ring.mask;
    const regions = this.regions;
    let frame = first;
    for (; frame < end; frame++) {
      const segment = batch.frameFirstSegment(frame);
      const length = batch.frameLength(frame);
      if (batch.frameSegmentCount(frame) === 1) {
        // Fast path, as in transmit(): a one-segment frame that fits the next slot is one copy
        // with no reservation walk. A region unmapped since the receive reads as too short.
        const source = batch.segmentBytes(segment);
        const from = batch.segmentOffset(segment);
        if (from + length > source.byteLength) this.throwStale(batch, frame);
        const start = this.index + this.reserved;
        const slot = start & mask;
        if (this.reserved >= peerFree || !this.probeSlot(slot)) break;
        if (length <= (this.slotCapacity[slot] as number) && length <= this.maxSegmentLength) {
          const into = regions[this.slotRegion[slot] as number] ?? EMPTY;
          const at = this.slotOffset[slot] as number;
          if (length <= SMALL_COPY) {
            for (let k = 0; k < length; k++) into[at + k] = source[from + k] as number;
          } else {
            into.set(batch.segmentView(segment), at);
          }
          this.reserveOneSlot(start, slot, length);
          continue;
        }
      } else {
        try {
          batch.checkFrameLive(frame);
        } catch (error) {
          this.publish();
          throw error;
        }
      }
      if (!this.reserveWithin(length, peerFree)) break;
      const segments = batch.frameSegmentCount(frame);
      let at = 0;
      for (let k = 0; k < segments; k++) at += this.write(batch.segmentView(segment + k), at);
    }
    this.publish();
    return frame - first;
  }

  /** Reserves the one slot (`start`, probed, payload copied) of a frame of `length` bytes. */
  private reserveOneSlot(start: number, slot: number, length: number): void {
    this.slotLength[slot] = length;
    this.slotFlags[slot] = 0;
    this.frameStart = start;
    this.frameSlots = 1;
    this.reserved++;
    this.pendingPackets++;
    this.pendingBytes += length;
  }

  /** Publishes what is reserved, then throws the batch's ERR_RING_STALE_BATCH for `frame`. */
  private throwStale(batch: ReceiveBatch, frame: number): never {
    this.publish();
    batch.checkFrameLive(frame);
    throw new RingError('ERR_RING_STALE_BATCH', `frame ${frame} of this batch lies in memory that is gone`);
  }

  /** Publishes one frame gathered from `parts[0..count)`; false when it does not fit whole. */
  transmitGather(parts: readonly Uint8Array[], count: number = parts.length): boolean {
    let length = 0;
    for (let k = 0; k < count; k++) length += parts[k]?.byteLength ?? 0;
    if (!this.reserve(length)) return false;
    let at = 0;
    for (let k = 0; k < count; k++) {
      const part = parts[k];
      if (part === undefined) continue;
      this.write(part, at);
      at += part.byteLength;
    }
    this.publish();
    return true;
  }

  /**
   * Whether the receiver wants a signal for what we published: its MASK_INT is clear. Re-read on
   * every call because VPP toggles it at run time. The caller writes the eventfd.
   */
  shouldNotify(): boolean {
    return (this.ring.loadFlags() & RingFlag.MaskInt) === 0;
  }
}
