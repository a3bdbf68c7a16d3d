import type { BufferPool } from './buffer-pool.ts';
import { RingError } from './ring-error.ts';
import { RingProducer, type RingProducerOptions } from './ring-producer.ts';
import type { SlotBufferMap } from './slot-buffer-map.ts';

export interface SlaveTransmitterOptions extends RingProducerOptions {
  /** The slave's copy-mode buffers of this S2M ring (from `RegionLayout.slotBuffers`). */
  readonly buffers?: SlotBufferMap;
  /** Zero-copy buffers for {@link SlaveTransmitter.transmitPooled}. */
  readonly pool?: BufferPool;
}

/**
 * The slave's side of an S2M ring (spec §3.2): it owns the buffers and writes `head`. Copy mode
 * fills its own slot buffers; zero-copy points descriptors at pooled buffers and hands them back
 * to the pool once the master's `tail` has passed their slots.
 */
export class SlaveTransmitter extends RingProducer {
  readonly buffers: SlotBufferMap | undefined;
  readonly pool: BufferPool | undefined;
  /** Pool buffer sitting in each slot, −1 for none. */
  private readonly slotPoolBuffer: Int32Array;
  /** Slots before this index have been given back by the master and reclaimed. */
  private reclaimed: number;

  /** Starts from the ring's current head and tail. Allocates per-slot bookkeeping. */
  constructor(options: SlaveTransmitterOptions) {
    super(options, options.ring.loadHead());
    this.buffers = options.buffers;
    this.pool = options.pool;
    if (this.pool && options.regions[this.pool.regionIndex] === undefined) {
      throw new RingError('ERR_RING_BAD_CONFIG', `pool region ${this.pool.regionIndex} is not among the regions`);
    }
    this.slotPoolBuffer = new Int32Array(options.ring.size).fill(-1);
    this.reclaimed = options.ring.loadTail();
  }

  /**
   * Zero-copy: publishes `count` pooled buffers as one-slot frames of `lengths[i]` bytes from the
   * start of each buffer, writing no payload; returns how many fit. Each buffer returns to the
   * pool once the master releases its slot (see {@link reclaim}).
   */
  transmitPooled(buffers: ArrayLike<number>, lengths: ArrayLike<number>, count: number = buffers.length): number {
    const pool = this.requirePool();
    let sent = 0;
    for (; sent < count; sent++) {
      const buffer = buffers[sent] ?? -1;
      const length = lengths[sent] ?? 0;
      if (!pool.isAllocated(buffer) || length > pool.bufferSize) {
        this.publish();
        throw new RingError('ERR_RING_BAD_ARGUMENT', `buffer ${buffer} of ${length} bytes is not an allocated pool buffer`);
      }
      try {
        pool.checkLendable(buffer);
      } catch (error) {
        this.publish();
        throw error;
      }
      if (!this.reservePooled(buffer, pool.offsetOf(buffer), length)) break;
    }
    this.publish();
    return sent;
  }

  /**
   * Zero-copy from views into pooled buffers (data may start after headroom): each descriptor
   * gets the view's offset inside the pool region and its length. Returns how many fit.
   */
  transmitPooledViews(views: readonly Uint8Array[], count: number = views.length): number {
    const pool = this.requirePool();
    let sent = 0;
    for (; sent < count; sent++) {
      const view = views[sent];
      if (view === undefined) break;
      let buffer: number;
      try {
        buffer = pool.indexOfView(view);
        pool.checkLendable(buffer);
      } catch (error) {
        this.publish();
        throw error;
      }
      if (!this.reservePooled(buffer, pool.regionOffsetOf(view), view.byteLength)) break;
    }
    this.publish();
    return sent;
  }

  /** Largest frame a copy-mode {@link transmit} can ever take: a longer one never fits. */
  get maxFrameLength(): number {
    return this.maxChain * Math.min(this.buffers?.capacity ?? 0, this.maxSegmentLength);
  }

  /**
   * Returns to the pool every buffer whose slot the master has released; returns how many. Every
   * burst does this too.
   */
  reclaim(): number {
    const tail = this.ring.loadTail();
    const advance = (tail - this.reclaimed) & 0xffff;
    if (advance > ((this.index - this.reclaimed) & 0xffff)) {
      this.counters.badIndex++;
      return -1;
    }
    let freed = 0;
    for (let k = 0; k < advance; k++) {
      const slot = (this.reclaimed + k) & this.ring.mask;
      const buffer = this.slotPoolBuffer[slot] ?? -1;
      if (buffer >= 0) {
        this.pool?.takeBack(buffer);
        this.slotPoolBuffer[slot] = -1;
        freed++;
      }
    }
    this.reclaimed = tail;
    return freed;
  }

  private requirePool(): BufferPool {
    if (this.pool === undefined) throw new RingError('ERR_RING_NO_SLOT_BUFFERS', 'this transmitter has no pool');
    return this.pool;
  }

  private reservePooled(buffer: number, offset: number, length: number): boolean {
    const slot = (this.index + this.reserved) & this.ring.mask;
    const pool = this.pool as BufferPool;
    if (!this.reserveInPlace(pool.regionIndex, offset, length)) return false;
    pool.lend(buffer);
    this.slotPoolBuffer[slot] = buffer;
    return true;
  }

  protected peerFreeSlots(): number {
    if (this.reclaim() < 0) return 0;
    return this.ring.size - ((this.index - this.reclaimed) & 0xffff);
  }

  protected probeSlot(slot: number): boolean {
    const buffers = this.buffers;
    if (buffers === undefined) throw new RingError('ERR_RING_NO_SLOT_BUFFERS', 'this transmitter has no copy-mode buffers');
    this.slotRegion[slot] = buffers.region;
    this.slotOffset[slot] = buffers.offsetOf(slot);
    this.slotCapacity[slot] = buffers.capacity;
    return true;
  }

  protected writeDescriptor(slot: number): void {
    // The slave owns region and offset, so it rewrites them: a slot last used for zero-copy
    // must point back at its own buffer. Flags are always written (spec §7.1).
    this.ring.writeDesc(
      slot,
      this.slotFlags[slot] ?? 0,
      this.slotRegion[slot] ?? 0,
      this.slotLength[slot] ?? 0,
      this.slotOffset[slot] ?? 0,
    );
  }

  protected storeIndex(index: number): void {
    this.ring.storeHead(index);
  }
}
