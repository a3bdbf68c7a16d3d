import { RingError } from './ring-error.ts';
import {
  DEFAULT_CACHE_LINE,
  MAX_LOG2_RING_SIZE,
  MEMIF_COOKIE,
  MEMIF_DESC_SIZE,
  MIN_LOG2_RING_SIZE,
  RingHeaderOffset,
  ringBytes,
} from './ring-header.ts';

/** u16 words per descriptor in {@link RingView.desc16}: flags at +0, region at +1. */
export const DESC_U16_STRIDE = MEMIF_DESC_SIZE / 2;
/** u32 words per descriptor in {@link RingView.desc32}: length at +1, offset at +2, metadata at +3. */
export const DESC_U32_STRIDE = MEMIF_DESC_SIZE / 4;

/**
 * How {@link RingView.storeHead} and {@link RingView.storeTail} publish an index.
 *
 * - `'fenced'` (the default): `Atomics.store`, sequentially consistent on every platform. On x86-64
 *   that is an `xchg`, a full fence that waits until every descriptor and payload store of the
 *   burst has left the store buffer; on a weakly ordered CPU (arm64) it is what orders them.
 * - `'plain-release-tso'`: a plain typed-array store. Only for x86-64 (or another total store
 *   order CPU), where every store already has release semantics in hardware: the peer cannot see
 *   the index before the descriptor and payload stores made before it, which is all a publish
 *   needs (DPDK's release store of `head`/`tail` is a plain `mov` there). The JIT keeps typed-array
 *   stores, loads and builtin calls such as `set` in program order: each is a node on V8's effect
 *   chain, which its optimisations never reorder effectful nodes along, so the order the hardware
 *   sees is the order of the source. What it gives up is the store-load fence after the index: a
 *   producer that then reads the peer's MASK_INT may read it before the peer sees the index, as
 *   with DPDK's and VPP's transmitters, which is why a receiver that unmasks interrupts looks at
 *   the ring again a turn later. The loads of the peer's index stay `Atomics.load`, so the JIT
 *   never caches them.
 */
export type IndexStores = 'fenced' | 'plain-release-tso';

export interface RingViewOptions {
  /** How indices are published (default `'fenced'`); see {@link IndexStores}. */
  readonly indexStores?: IndexStores;
}

/**
 * A view over one `memif_ring_t` inside a region it does not own. Fields are read and written in
 * host byte order, which is what the peers use (every deployed host is little-endian). `head`,
 * `tail` and `flags` are read through `Atomics`, so the JIT cannot cache the peer's index; they are
 * written through `Atomics` too, except indices under `indexStores: 'plain-release-tso'` (see
 * {@link IndexStores}).
 */
export class RingView {
  /** Descriptors, N = 2^L. */
  readonly size: number;
  /** `size − 1`, the slot of an index is `index & mask`. */
  readonly mask: number;
  readonly log2Size: number;
  readonly cacheLine: number;
  /** The region bytes, and the ring's offset inside them. */
  readonly region: Uint8Array;
  readonly offset: number;
  /** Descriptor table as u16 words; see {@link DESC_U16_STRIDE}. */
  readonly desc16: Uint16Array;
  /** Descriptor table as u32 words; see {@link DESC_U32_STRIDE}. */
  readonly desc32: Uint32Array;
  private readonly header16: Uint16Array;
  private readonly header32: Uint32Array;
  private readonly tailIndex: number;
  readonly indexStores: IndexStores;
  private readonly plainIndexStores: boolean;

  constructor(region: Uint8Array, offset: number, log2Size: number, cacheLine: number = DEFAULT_CACHE_LINE, options: RingViewOptions = {}) {
    const indexStores = options.indexStores ?? 'fenced';
    if (indexStores !== 'fenced' && indexStores !== 'plain-release-tso') {
      throw new RingError('ERR_RING_BAD_CONFIG', `indexStores must be 'fenced' or 'plain-release-tso', got ${String(indexStores)}`);
    }
    if (!Number.isInteger(log2Size) || log2Size < MIN_LOG2_RING_SIZE || log2Size > MAX_LOG2_RING_SIZE) {
      throw new RingError('ERR_RING_BAD_CONFIG', `log2 ring size must be in 1..15, got ${log2Size}`);
    }
    const bytes = ringBytes(log2Size, cacheLine);
    if (!Number.isInteger(offset) || offset < 0 || offset + bytes > region.byteLength) {
      throw new RingError('ERR_RING_REGION_TOO_SMALL', `ring at ${offset} needs ${bytes} bytes but the region holds ${region.byteLength}`);
    }
    const start = region.byteOffset + offset;
    if (start % 8 !== 0 || cacheLine % 8 !== 0) {
      throw new RingError('ERR_RING_MISALIGNED', `ring at ${offset} (cache line ${cacheLine}) is not 8-byte aligned`);
    }
    this.indexStores = indexStores;
    this.plainIndexStores = indexStores === 'plain-release-tso';
    this.size = 2 ** log2Size;
    this.mask = this.size - 1;
    this.log2Size = log2Size;
    this.cacheLine = cacheLine;
    this.region = region;
    this.offset = offset;
    this.header16 = new Uint16Array(region.buffer, start, cacheLine);
    this.header32 = new Uint32Array(region.buffer, start, 1);
    this.tailIndex = cacheLine / 2;
    this.desc16 = new Uint16Array(region.buffer, start + 2 * cacheLine, this.size * DESC_U16_STRIDE);
    this.desc32 = new Uint32Array(region.buffer, start + 2 * cacheLine, this.size * DESC_U32_STRIDE);
  }

  get cookie(): number {
    return this.header32[0] ?? 0;
  }

  /** Acquire-load of `head` (written by the slave only). */
  loadHead(): number {
    return Atomics.load(this.header16, RingHeaderOffset.head / 2);
  }

  /** Release-store of `head` (see {@link IndexStores}); only the slave calls this. */
  storeHead(value: number): void {
    if (this.plainIndexStores) this.header16[RingHeaderOffset.head / 2] = value & 0xffff;
    else Atomics.store(this.header16, RingHeaderOffset.head / 2, value & 0xffff);
  }

  /** Acquire-load of `tail` (written by the master only). */
  loadTail(): number {
    return Atomics.load(this.header16, this.tailIndex);
  }

  /** Release-store of `tail` (see {@link IndexStores}); only the master calls this. */
  storeTail(value: number): void {
    if (this.plainIndexStores) this.header16[this.tailIndex] = value & 0xffff;
    else Atomics.store(this.header16, this.tailIndex, value & 0xffff);
  }

  /** The ring flags (bit 0 MASK_INT), re-read on every call because the receiver may toggle it. */
  loadFlags(): number {
    return Atomics.load(this.header16, RingHeaderOffset.flags / 2);
  }

  /** Writes the ring flags; only the receiver of this ring calls this. */
  storeFlags(value: number): void {
    Atomics.store(this.header16, RingHeaderOffset.flags / 2, value & 0xffff);
  }

  /** Connect-time reset of both indices (the master on CONNECT, the slave on CONNECTED). */
  resetIndices(value = 0): void {
    this.storeHead(value);
    this.storeTail(value);
  }

  /** Writes the cookie, flags 0 and head = tail = 0, as the slave does before ADD_RING. */
  initializeHeader(): void {
    this.header32[0] = MEMIF_COOKIE;
    this.storeFlags(0);
    this.resetIndices(0);
  }

  descFlags(slot: number): number {
    return this.desc16[slot * DESC_U16_STRIDE] ?? 0;
  }

  descRegion(slot: number): number {
    return this.desc16[slot * DESC_U16_STRIDE + 1] ?? 0;
  }

  descLength(slot: number): number {
    return this.desc32[slot * DESC_U32_STRIDE + 1] ?? 0;
  }

  descOffset(slot: number): number {
    return this.desc32[slot * DESC_U32_STRIDE + 2] ?? 0;
  }

  /** Writes a whole descriptor, metadata 0 included. */
  writeDesc(slot: number, flags: number, region: number, length: number, offset: number): void {
    const w16 = slot * DESC_U16_STRIDE;
    const w32 = slot * DESC_U32_STRIDE;
    this.desc16[w16] = flags;
    this.desc16[w16 + 1] = region;
    this.desc32[w32 + 1] = length;
    this.desc32[w32 + 2] = offset;
    this.desc32[w32 + 3] = 0;
  }

  setDescFlags(slot: number, flags: number): void {
    this.desc16[slot * DESC_U16_STRIDE] = flags;
  }

  setDescLength(slot: number, length: number): void {
    this.desc32[slot * DESC_U32_STRIDE + 1] = length;
  }
}
