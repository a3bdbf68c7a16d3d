import { DEFAULT_CACHE_LINE, MAX_LOG2_RING_SIZE, MEMIF_COOKIE, MIN_LOG2_RING_SIZE, ringBytes } from './ring-header.ts';

/** What ADD_RING told the master about one ring. */
export interface RingClaim {
  /** Region index holding the ring (ADD_RING.region). */
  readonly region: number;
  /** Byte offset of the ring inside that region (ADD_RING.offset). */
  readonly offset: number;
  /** ADD_RING.log2_ring_size. */
  readonly log2RingSize: number;
}

export type RingCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * The master's check of one ring before it builds a {@link RingView} on it (spec §8 master 5):
 * region known, log2 1..15, offset 8-byte aligned, `offset + ring_bytes ≤ region size`, cookie.
 * `regions` are the mapped regions, each exactly the size ADD_REGION claimed. Never throws.
 */
export function verifyRing(regions: readonly Uint8Array[], claim: RingClaim, cacheLine: number = DEFAULT_CACHE_LINE): RingCheck {
  const { region, offset, log2RingSize } = claim;
  const bytes = regions[region];
  if (!Number.isInteger(region) || bytes === undefined) {
    return { ok: false, reason: `ring region ${region} is not one of the ${regions.length} mapped regions` };
  }
  if (!Number.isInteger(log2RingSize) || log2RingSize < MIN_LOG2_RING_SIZE || log2RingSize > MAX_LOG2_RING_SIZE) {
    return { ok: false, reason: `ring log2 size ${log2RingSize} outside 1..15` };
  }
  if (!Number.isInteger(offset) || offset < 0 || offset % 8 !== 0 || (bytes.byteOffset + offset) % 8 !== 0) {
    return { ok: false, reason: `ring offset ${offset} is not a multiple of 8` };
  }
  const size = ringBytes(log2RingSize, cacheLine);
  if (offset + size > bytes.byteLength) {
    return {
      ok: false,
      reason: `ring at ${offset} + ${size} bytes overruns region ${region} of ${bytes.byteLength} bytes`,
    };
  }
  const cookie = new DataView(bytes.buffer, bytes.byteOffset + offset, 4).getUint32(0, true);
  if (cookie !== MEMIF_COOKIE) {
    return { ok: false, reason: `ring cookie 0x${cookie.toString(16)} is not 0x${MEMIF_COOKIE.toString(16)}` };
  }
  return { ok: true };
}
