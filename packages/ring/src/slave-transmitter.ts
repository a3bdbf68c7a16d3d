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
 * to the pool once the master's `tail` has passed their slots. Without slot buffers, the copy
 * methods (`transmit`, `transmitBatch`…) copy into pool buffers taken per slot, chaining as copy
 * mode does.
 */
export class SlaveTransmitter extends RingProducer {
  readonly buffers: SlotBufferMap | undefined;
  readonly pool: BufferPool | undefined;
  /**
   * Pool buffer sitting in each slot, −1 for none: in flight once published, or taken by
   * {@link probeSlot} for a reservation not yet published (given back by {@link cancel}).
   */
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
   * Zero-copy: publishes `count` pooled buffers as frames of `lengths[i]` bytes from the start of
   * each buffer, writing no payload; returns how many fit. A frame longer than
   * `maxSegmentLength` goes out as a chain of descriptors inside its buffer. Each buffer returns
   * to the pool once the master releases its slots (see {@link reclaim}).
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

  /** Largest frame a {@link transmit} can ever take: a longer one never fits. */
  get maxFrameLength(): number {
    const capacity = this.buffers?.capacity ?? this.pool?.bufferSize ?? 0;
    return this.maxChain * Math.min(capacity, this.maxSegmentLength);
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
    // Only a pool lends buffers to slots: in copy mode there is nothing to give back.
    for (let k = 0; this.pool !== undefined && k < advance; k++) {
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

  /**
   * Forgets every unpublished reservation, and gives back the pool buffers that copies took for
   * slots left unpublished (a frame that did not fit): the pool is the application's too.
   */
  override cancel(): void {
    super.cancel();
    const pool = this.pool;
    if (pool === undefined || this.buffers !== undefined) return;
    const free = this.ring.size - ((this.index - this.reclaimed) & 0xffff);
    for (let k = 0; k < free; k++) {
      const slot = (this.index + k) & this.ring.mask;
      const staged = this.slotPoolBuffer[slot] ?? -1;
      // Probing is sequential from our index, so staged slots are a run that starts there.
      if (staged < 0) break;
      pool.takeBack(staged);
      this.slotPoolBuffer[slot] = -1;
    }
  }

  private requirePool(): BufferPool {
    if (this.pool === undefined) throw new RingError('ERR_RING_NO_SLOT_BUFFERS', 'this transmitter has no pool');
    return this.pool;
  }

  private reservePooled(buffer: number, offset: number, length: number): boolean {
    const pool = this.pool as BufferPool;
    const first = this.index + this.reserved;
    if (!this.reserveInPlace(pool.regionIndex, offset, length)) return false;
    const slots = this.reservedSegmentCount;
    for (let k = 0; k < slots; k++) {
      const slot = (first + k) & this.ring.mask;
      // A buffer a copy left here unpublished goes back: the caller's buffer takes the slot.
      const staged = this.slotPoolBuffer[slot] ?? -1;
      if (staged >= 0) pool.takeBack(staged);
      this.slotPoolBuffer[slot] = -1;
    }
    pool.lend(buffer);
    // Owned by the chain's last slot: the master's tail passes it only after the whole frame.
    this.slotPoolBuffer[(first + slots - 1) & this.ring.mask] = buffer;
    return true;
  }

  protected peerFreeSlots(): number {
    if (this.reclaim() < 0) return 0;
    return this.ring.size - ((this.index - this.reclaimed) & 0xffff);
  }

  protected probeSlot(slot: number): boolean {
    const buffers = this.buffers;
    if (buffers !== undefined) {
      this.slotRegion[slot] = buffers.region;
      this.slotOffset[slot] = buffers.offsetOf(slot);
      this.slotCapacity[slot] = buffers.capacity;
      return true;
    }
    const pool = this.pool;
    if (pool === undefined) throw new RingError('ERR_RING_NO_SLOT_BUFFERS', 'this transmitter has neither slot buffers nor a pool');
    let buffer = this.slotPoolBuffer[slot] ?? -1;
    if (buffer < 0) {
      buffer = pool.alloc();
      if (buffer < 0) return false;
      // The ring holds it from here, never the application: in flight until reclaimed or cancelled.
      pool.lend(buffer);
      this.slotPoolBuffer[slot] = buffer;
    }
    this.slotRegion[slot] = pool.regionIndex;
    this.slotOffset[slot] = pool.offsetOf(buffer);
    this.slotCapacity[slot] = pool.bufferSize;
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
