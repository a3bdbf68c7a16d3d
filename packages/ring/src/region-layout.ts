import { RingError } from './ring-error.ts';
import { DEFAULT_CACHE_LINE, MAX_LOG2_RING_SIZE, MIN_LOG2_RING_SIZE, ringBytes } from './ring-header.ts';
import { RingType } from './ring-type.ts';
import type { SlotBufferMap } from './slot-buffer-map.ts';

/**
 * Where the copy-mode buffers go: after the rings in region 0 (DPDK, VPP, gomemif), at offset 0
 * of a separate region 1 (libmemif), or nowhere (zero-copy: region 0 holds rings only).
 */
export type BufferPlacement = 'region0' | 'separateRegion' | 'none';

export interface RegionLayoutOptions {
  /** Number of S2M (C2S) rings, 0..255. */
  readonly numS2mRings: number;
  /** Number of M2S (S2C) rings, 0..255. */
  readonly numM2sRings: number;
  /** log2 of the ring size, 1..15 (peers accept 1..14). */
  readonly log2RingSize: number;
  /** Buffer size B, 1..65535 (a u16 in every implementation). */
  readonly bufferSize: number;
  /** Cache line C, not negotiated with the peer; default 64. */
  readonly cacheLine?: number;
  /** Default `'region0'`. */
  readonly bufferPlacement?: BufferPlacement;
}

const U32_LIMIT = 2 ** 32;
const MAX_RINGS = 255;

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RingError('ERR_RING_BAD_CONFIG', `${name} must be an integer in ${min}..${max}, got ${value}`);
  }
}

/**
 * The placement formulas of spec §2.4, computed in full JS numbers (never with the u16 slot index
 * that makes DPDK and VPP alias buffers past 65 536 slots).
 */
export class RegionLayout {
  readonly numS2mRings: number;
  readonly numM2sRings: number;
  readonly log2RingSize: number;
  /** Descriptors per ring, N = 2^L. */
  readonly ringSize: number;
  readonly bufferSize: number;
  readonly cacheLine: number;
  readonly bufferPlacement: BufferPlacement;
  /** Bytes per ring, `2C + 16N`. */
  readonly ringBytes: number;
  /** Region holding the copy-mode buffers: 0, 1, or −1 when there are none. */
  readonly bufferRegion: number;
  /** Offset of slot 0 of S2M ring 0 inside {@link bufferRegion}. */
  readonly bufferOffset: number;
  /** Size of each region this layout needs, region 0 first; what ADD_REGION announces. */
  readonly regionSizes: readonly number[];

  constructor(options: RegionLayoutOptions) {
    const cacheLine = options.cacheLine ?? DEFAULT_CACHE_LINE;
    checkInteger('numS2mRings', options.numS2mRings, 0, MAX_RINGS);
    checkInteger('numM2sRings', options.numM2sRings, 0, MAX_RINGS);
    checkInteger('log2RingSize', options.log2RingSize, MIN_LOG2_RING_SIZE, MAX_LOG2_RING_SIZE);
    checkInteger('bufferSize', options.bufferSize, 1, 0xffff);
    // head sits at byte 6 and tail at C, so C must hold 8 bytes and keep 8-byte alignment.
    if (!Number.isInteger(cacheLine) || cacheLine < 8 || cacheLine > 4096 || (cacheLine & (cacheLine - 1)) !== 0) {
      throw new RingError('ERR_RING_BAD_CONFIG', `cacheLine must be a power of two in 8..4096, got ${cacheLine}`);
    }
    if (options.numS2mRings + options.numM2sRings === 0) {
      throw new RingError('ERR_RING_BAD_CONFIG', 'a layout needs at least one ring');
    }
    this.numS2mRings = options.numS2mRings;
    this.numM2sRings = options.numM2sRings;
    this.log2RingSize = options.log2RingSize;
    this.ringSize = 2 ** options.log2RingSize;
    this.bufferSize = options.bufferSize;
    this.cacheLine = cacheLine;
    this.bufferPlacement = options.bufferPlacement ?? 'region0';
    this.ringBytes = ringBytes(options.log2RingSize, cacheLine);

    const rings = this.numS2mRings + this.numM2sRings;
    const ringArea = rings * this.ringBytes;
    const bufferArea = rings * this.ringSize * this.bufferSize;
    switch (this.bufferPlacement) {
      case 'region0':
        this.bufferRegion = 0;
        this.bufferOffset = ringArea;
        this.regionSizes = [ringArea + bufferArea];
        break;
      case 'separateRegion':
        this.bufferRegion = 1;
        this.bufferOffset = 0;
        this.regionSizes = [ringArea, bufferArea];
        break;
      case 'none':
        this.bufferRegion = -1;
        this.bufferOffset = 0;
        this.regionSizes = [ringArea];
        break;
      default:
        throw new RingError('ERR_RING_BAD_CONFIG', `unknown bufferPlacement ${String(this.bufferPlacement)}`);
    }
    if (this.bufferRegion >= 0 && this.bufferOffset + bufferArea - this.bufferSize >= U32_LIMIT) {
      throw new RingError(
        'ERR_RING_BAD_CONFIG',
        `buffers end at ${this.bufferOffset + bufferArea}, beyond what a u32 descriptor offset reaches`,
      );
    }
  }

  /** Number of rings of one direction. */
  ringCount(type: RingType): number {
    return type === RingType.S2M ? this.numS2mRings : this.numM2sRings;
  }

  /** Offset in region 0 of ring `index` of direction `type`; S2M rings come first. */
  ringOffset(type: RingType, index: number): number {
    this.checkRing(type, index);
    return this.ringNumber(type, index) * this.ringBytes;
  }

  /** Offset in {@link bufferRegion} of the copy-mode buffer of slot `slot` of a ring. */
  slotOffset(type: RingType, index: number, slot: number): number {
    this.checkRing(type, index);
    return this.bufferOffset + (this.ringNumber(type, index) * this.ringSize + slot) * this.bufferSize;
  }

  /** The copy-mode buffers of one ring; throws when the layout has none (`'none'`). */
  slotBuffers(type: RingType, index: number): SlotBufferMap {
    this.checkRing(type, index);
    if (this.bufferRegion < 0) {
      throw new RingError('ERR_RING_NO_SLOT_BUFFERS', 'this layout places no copy-mode buffers');
    }
    const first = this.slotOffset(type, index, 0);
    const capacity = this.bufferSize;
    return { region: this.bufferRegion, capacity, offsetOf: (slot) => first + slot * capacity };
  }

  private ringNumber(type: RingType, index: number): number {
    return type === RingType.S2M ? index : this.numS2mRings + index;
  }

  private checkRing(type: RingType, index: number): void {
    const count = this.ringCount(type);
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      throw new RingError('ERR_RING_BAD_CONFIG', `ring index ${index} out of range (0..${count - 1})`);
    }
  }
}
