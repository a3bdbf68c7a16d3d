import { RingError } from './ring-error.ts';

const FREE = 0;
const HELD = 1;
const IN_FLIGHT = 2;

export interface BufferPoolOptions {
  /** The application-owned region the buffers live in (exposed to the peer as one region). */
  readonly region: Uint8Array;
  /** The region's index in ADD_REGION order; what descriptors carry. */
  readonly regionIndex: number;
  /** Bytes per buffer. */
  readonly bufferSize: number;
  /** Where the first buffer starts inside the region (default 0). */
  readonly offset?: number;
  /** Number of buffers (default: as many as fit). */
  readonly count?: number;
}

/**
 * Fixed-size buffers carved out of one region for zero-copy, the DPDK "single file segment" case:
 * a buffer's descriptor offset is its byte offset inside the region. Buffers are named by index so
 * that allocating and freeing allocate nothing; one view per buffer is made up front.
 */
export class BufferPool {
  readonly region: Uint8Array;
  readonly regionIndex: number;
  readonly bufferSize: number;
  /** Offset of buffer 0 inside the region. */
  readonly baseOffset: number;
  /** Number of buffers. */
  readonly count: number;
  private readonly views: Uint8Array[];
  private readonly freeList: Uint32Array;
  /** Per buffer: {@link FREE}, {@link HELD} by the application, or {@link IN_FLIGHT} with the peer. */
  private readonly state: Uint8Array;
  private freeCount: number;

  /** Allocates one view per buffer and the free list. */
  constructor(options: BufferPoolOptions) {
    const { region, regionIndex, bufferSize } = options;
    const baseOffset = options.offset ?? 0;
    if (!Number.isInteger(bufferSize) || bufferSize < 1 || bufferSize > 0xffffffff) {
      throw new RingError('ERR_RING_BAD_CONFIG', `bufferSize must be a positive integer, got ${bufferSize}`);
    }
    if (!Number.isInteger(regionIndex) || regionIndex < 0 || regionIndex > 0xffff) {
      throw new RingError('ERR_RING_BAD_CONFIG', `regionIndex must be in 0..65535, got ${regionIndex}`);
    }
    if (!Number.isInteger(baseOffset) || baseOffset < 0 || baseOffset > region.byteLength) {
      throw new RingError('ERR_RING_BAD_CONFIG', `offset ${baseOffset} is outside the region`);
    }
    const fit = Math.floor((region.byteLength - baseOffset) / bufferSize);
    const count = options.count ?? fit;
    if (!Number.isInteger(count) || count < 0 || count > fit) {
      throw new RingError('ERR_RING_BAD_CONFIG', `${count} buffers of ${bufferSize} bytes do not fit the region`);
    }
    if (count > 0 && baseOffset + (count - 1) * bufferSize > 0xffffffff) {
      throw new RingError('ERR_RING_BAD_CONFIG', 'buffers must start within the first 4 GiB of the region');
    }
    this.region = region;
    this.regionIndex = regionIndex;
    this.bufferSize = bufferSize;
    this.baseOffset = baseOffset;
    this.count = count;
    this.views = [];
    this.freeList = new Uint32Array(count);
    this.state = new Uint8Array(count).fill(FREE);
    for (let index = 0; index < count; index++) {
      const start = baseOffset + index * bufferSize;
      this.views.push(region.subarray(start, start + bufferSize));
      // Pop order 0, 1, 2… keeps early allocations at low addresses, which eases debugging.
      this.freeList[index] = count - 1 - index;
    }
    this.freeCount = count;
  }

  /** Buffers free now. */
  get available(): number {
    return this.freeCount;
  }

  /** Takes a free buffer; returns its index, or −1 when the pool is exhausted. */
  alloc(): number {
    if (this.freeCount === 0) return -1;
    const index = this.freeList[--this.freeCount] ?? 0;
    this.state[index] = HELD;
    return index;
  }

  /**
   * Returns buffer `index`, which the application holds, to the pool. A double free, an unknown
   * index or a buffer in flight (the peer may still read or write it) is our caller's bug.
   */
  free(index: number): void {
    this.checkIndex(index);
    const state = this.state[index];
    if (state === FREE) throw new RingError('ERR_POOL_DOUBLE_FREE', `buffer ${index} is already free`);
    if (state === IN_FLIGHT) {
      throw new RingError(
        'ERR_POOL_IN_FLIGHT',
        `buffer ${index} is in flight: the peer holds it, and it returns to the pool by itself once the peer releases it`,
      );
    }
    this.release(index);
  }

  /** Whether buffer `index` is currently out of the pool (held by the application or in flight). */
  isAllocated(index: number): boolean {
    return this.state[index] === HELD || this.state[index] === IN_FLIGHT;
  }

  /** Whether buffer `index` is handed to the peer (published or posted) and not yet given back. */
  isInFlight(index: number): boolean {
    return this.state[index] === IN_FLIGHT;
  }

  /**
   * Checks that the application holds buffer `index` and may hand it to the peer; throws
   * otherwise. The ring calls this before it writes a descriptor, then {@link lend}.
   */
  checkLendable(index: number): void {
    this.checkIndex(index);
    const state = this.state[index];
    if (state === IN_FLIGHT) {
      throw new RingError('ERR_POOL_IN_FLIGHT', `buffer ${index} is already in flight: the peer has not released it yet`);
    }
    if (state === FREE) throw new RingError('ERR_RING_BAD_ARGUMENT', `buffer ${index} is not allocated`);
  }

  /** Marks buffer `index`, held by the application, as handed to the peer. */
  lend(index: number): void {
    this.checkLendable(index);
    this.state[index] = IN_FLIGHT;
  }

  /** The peer gave buffer `index` back: it returns to the pool. */
  takeBack(index: number): void {
    this.checkIndex(index);
    if (this.state[index] !== IN_FLIGHT) {
      throw new RingError('ERR_POOL_DOUBLE_FREE', `buffer ${index} came back from the peer but was not in flight`);
    }
    this.release(index);
  }

  private release(index: number): void {
    this.state[index] = FREE;
    this.freeList[this.freeCount++] = index;
  }

  private checkIndex(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) {
      throw new RingError('ERR_POOL_FOREIGN_BUFFER', `buffer ${index} is not in this pool`);
    }
  }

  /** The whole buffer `index` (made once, no allocation). */
  view(index: number): Uint8Array {
    const view = this.views[index];
    if (view === undefined) throw new RingError('ERR_POOL_FOREIGN_BUFFER', `buffer ${index} is not in this pool`);
    return view;
  }

  /** Descriptor offset of buffer `index`: its byte offset inside the region. */
  offsetOf(index: number): number {
    return this.baseOffset + index * this.bufferSize;
  }

  /**
   * Descriptor offset of any view into the region: the view's byteOffset inside the region, so a
   * view starting after some headroom yields the offset of the data.
   */
  regionOffsetOf(view: Uint8Array): number {
    const offset = view.byteOffset - this.region.byteOffset;
    if (view.buffer !== this.region.buffer || offset < 0 || offset + view.byteLength > this.region.byteLength) {
      throw new RingError('ERR_POOL_FOREIGN_BUFFER', 'the view does not lie inside the pool region');
    }
    return offset;
  }

  /** Index of the buffer holding region offset `offset`, or −1 when no buffer does. */
  indexOfOffset(offset: number): number {
    const relative = offset - this.baseOffset;
    if (!Number.isInteger(relative) || relative < 0) return -1;
    const index = Math.floor(relative / this.bufferSize);
    return index < this.count ? index : -1;
  }

  /** Index of the buffer a view lies in (headroom allowed); throws for a foreign view. */
  indexOfView(view: Uint8Array): number {
    const offset = this.regionOffsetOf(view);
    const index = this.indexOfOffset(offset);
    if (index < 0 || offset + view.byteLength > this.offsetOf(index) + this.bufferSize) {
      throw new RingError('ERR_POOL_FOREIGN_BUFFER', 'the view does not lie inside one pool buffer');
    }
    return index;
  }

  /**
   * Maps a received descriptor back to a view; undefined when it is not this pool's region or
   * does not lie inside one buffer. Allocates the view.
   */
  viewOf(region: number, offset: number, length: number): Uint8Array | undefined {
    if (region !== this.regionIndex) return undefined;
    const index = this.indexOfOffset(offset);
    if (index < 0 || offset + length > this.offsetOf(index) + this.bufferSize) return undefined;
    return this.region.subarray(offset, offset + length);
  }
}
