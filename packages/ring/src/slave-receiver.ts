import type { BufferPool } from './buffer-pool.ts';
import { RingConsumer, type RingConsumerOptions } from './ring-consumer.ts';
import type { DropReason } from './ring-counters.ts';
import { RingError } from './ring-error.ts';
import { DESC_U16_STRIDE, DESC_U32_STRIDE } from './ring-view.ts';
import type { SlotBufferMap } from './slot-buffer-map.ts';

export interface SlaveReceiverOptions extends RingConsumerOptions {
  /** Copy mode: the slave's own buffers of this M2S ring (from `RegionLayout.slotBuffers`). */
  readonly buffers?: SlotBufferMap;
  /** Zero-copy: post pool buffers instead, and hand received frames out as views into them. */
  readonly pool?: BufferPool;
}

/**
 * The slave's side of an M2S ring (spec §3.3). It posts empty buffers by moving `head` (length =
 * capacity, flags 0), receives what the master published up to `tail` through its private
 * `last_tail`, and gives slots back by posting them again. Each descriptor must still name the
 * region and offset posted for its slot, with length ≤ the posted capacity; the check uses our
 * private record of the post, not the shared descriptor, so the master cannot redirect a read.
 */
export class SlaveReceiver extends RingConsumer {
  readonly buffers: SlotBufferMap | undefined;
  readonly pool: BufferPool | undefined;
  /**
   * The last descriptor dropped as `badLength`: its length and the capacity we had posted (both 0
   * until one comes). DPDK ≥ 23.03 masters ignore the posted capacity (spec §7.4); this lets the
   * interface tell the user what happened.
   */
  readonly lastOversize = { length: 0, capacity: 0 };
  /** Our head: end of the posted buffers. */
  private head: number;
  private readonly postedRegion: Uint16Array;
  private readonly postedOffset: Uint32Array;
  private readonly postedCapacity: Uint32Array;
  private readonly postedPoolBuffer: Int32Array;

  /**
   * Needs an idle ring (head = tail, as after the CONNECTED reset), since it must know what every
   * posted slot holds. Allocates per-slot bookkeeping. Post with {@link refill} once connected.
   */
  constructor(options: SlaveReceiverOptions) {
    const head = options.ring.loadHead();
    super(options, head);
    if (options.ring.loadTail() !== head) {
      throw new RingError('ERR_RING_NOT_IDLE', 'the M2S ring must have head = tail when its receiver is created');
    }
    if ((options.buffers === undefined) === (options.pool === undefined)) {
      throw new RingError('ERR_RING_BAD_CONFIG', 'give exactly one of buffers (copy mode) or pool (zero-copy)');
    }
    this.buffers = options.buffers;
    this.pool = options.pool;
    const size = options.ring.size;
    if (this.buffers) {
      const bytes = options.regions[this.buffers.region];
      const end = this.buffers.offsetOf(size - 1) + this.buffers.capacity;
      if (bytes === undefined || end > bytes.byteLength) {
        throw new RingError('ERR_RING_REGION_TOO_SMALL', `slot buffers end at ${end}, outside region ${this.buffers.region}`);
      }
    }
    if (this.pool && options.regions[this.pool.regionIndex] !== this.pool.region) {
      throw new RingError('ERR_RING_BAD_CONFIG', `the pool's region is not regions[${this.pool.regionIndex}]`);
    }
    this.head = head;
    this.postedRegion = new Uint16Array(size);
    this.postedOffset = new Uint32Array(size);
    this.postedCapacity = new Uint32Array(size);
    this.postedPoolBuffer = new Int32Array(size).fill(-1);
    // Copy mode posts the same buffer in a slot every time: recorded once, here.
    const buffers = this.buffers;
    if (buffers !== undefined) {
      this.postedRegion.fill(buffers.region);
      this.postedCapacity.fill(buffers.capacity);
      for (let slot = 0; slot < size; slot++) this.postedOffset[slot] = buffers.offsetOf(slot);
    }
  }

  /**
   * Posts up to `max` empty buffers into free slots and publishes `head`; returns how many. In
   * zero-copy mode it stops when the pool runs dry.
   */
  refill(max: number = this.ring.size): number {
    const ring = this.ring;
    const free = Math.min(max, ring.size - ((this.head - this.released) & 0xffff));
    const posted = this.pool === undefined ? this.postOwnBuffers(free) : this.postPoolBuffers(this.pool, free);
    if (posted > 0) {
      this.head = (this.head + posted) & 0xffff;
      ring.storeHead(this.head);
    }
    return posted;
  }

  /**
   * Copy mode: posts the next `count` slots' own buffers again. flags 0 on every post undoes
   * stale NEXT bits left by DPDK < 26.03 masters (spec §7.1).
   */
  private postOwnBuffers(count: number): number {
    const ring = this.ring;
    const buffers = this.buffers as SlotBufferMap;
    const region = buffers.region;
    const capacity = buffers.capacity;
    for (let k = 0; k < count; k++) {
      const slot = (this.head + k) & ring.mask;
      ring.writeDesc(slot, 0, region, capacity, this.postedOffset[slot] ?? 0);
    }
    return count;
  }

  /** Zero-copy: posts up to `count` buffers of the pool, fewer when it runs dry. */
  private postPoolBuffers(pool: BufferPool, count: number): number {
    const ring = this.ring;
    let posted = 0;
    for (; posted < count; posted++) {
      const buffer = pool.alloc();
      if (buffer < 0) break;
      pool.lend(buffer);
      const slot = (this.head + posted) & ring.mask;
      const offset = pool.offsetOf(buffer);
      this.postedPoolBuffer[slot] = buffer;
      this.postedRegion[slot] = pool.regionIndex;
      this.postedOffset[slot] = offset;
      this.postedCapacity[slot] = pool.bufferSize;
      ring.writeDesc(slot, 0, pool.regionIndex, pool.bufferSize, offset);
    }
    return posted;
  }

  /** Gives every received slot back (freeing pool buffers), then posts all free slots again. */
  release(): void {
    if (this.pool) {
      const held = this.held;
      for (let k = 0; k < held; k++) {
        const slot = (this.released + k) & this.ring.mask;
        const buffer = this.postedPoolBuffer[slot] ?? -1;
        if (buffer >= 0) {
          this.pool.takeBack(buffer);
          this.postedPoolBuffer[slot] = -1;
        }
      }
    }
    this.released = this.cursor;
    this.refill();
  }

  /** Slots posted and not yet filled by the master, as far as we know. */
  get posted(): number {
    return (this.head - this.cursor) & 0xffff;
  }

  protected published(): number {
    const advance = (this.ring.loadTail() - this.cursor) & 0xffff;
    // The master may publish only what we posted; a tail beyond our head is the VPP < 26.06
    // underflow (spec §7.14) or worse.
    if (advance > this.posted) {
      this.counters.badIndex++;
      return 0;
    }
    return advance;
  }

  protected checkSegment(slot: number): Uint8Array | DropReason {
    const ring = this.ring;
    const region = this.postedRegion[slot] ?? 0;
    const offset = this.postedOffset[slot] ?? 0;
    if ((ring.desc16[slot * DESC_U16_STRIDE + 1] ?? 0) !== region) return 'badRegion';
    if ((ring.desc32[slot * DESC_U32_STRIDE + 2] ?? 0) !== offset) return 'badOffset';
    const length = ring.desc32[slot * DESC_U32_STRIDE + 1] ?? 0;
    const capacity = this.postedCapacity[slot] ?? 0;
    if (length > capacity) {
      this.lastOversize.length = length;
      this.lastOversize.capacity = capacity;
      return 'badLength';
    }
    this.checkedOffset = offset;
    this.checkedLength = length;
    return this.regions[region] as Uint8Array;
  }
}
