/** `MEMIF_COOKIE`, the first u32 of every ring header (bytes `20 1F E3 03` in memory). */
export const MEMIF_COOKIE = 0x03e31f20;

/** Size of `memif_desc_t`. */
export const MEMIF_DESC_SIZE = 16;

/** Cache line size C used when none is given: 64 on x86-64 for every implementation. */
export const DEFAULT_CACHE_LINE = 64;

/** Smallest and largest log2 ring size a ring may have; 16 would break u16 index arithmetic. */
export const MIN_LOG2_RING_SIZE = 1;
export const MAX_LOG2_RING_SIZE = 15;

/**
 * Byte offsets inside `memif_ring_t` that do not depend on the cache line; `tail` sits at C and
 * the descriptor table at 2C (see {@link ringBytes}).
 */
export const RingHeaderOffset = {
  cookie: 0,
  flags: 4,
  head: 6,
} as const;

/** Bytes of one ring with 2^log2RingSize descriptors: `2C + 16 · 2^L`. */
export function ringBytes(log2RingSize: number, cacheLine: number = DEFAULT_CACHE_LINE): number {
  return 2 * cacheLine + MEMIF_DESC_SIZE * 2 ** log2RingSize;
}
