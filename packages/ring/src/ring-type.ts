/** Direction of a ring (`memif_ring_type_t`); also the ring type index of the layout maths. */
export const RingType = {
  /** `MEMIF_RING_S2M` (DPDK C2S): slave to master. */
  S2M: 0,
  /** `MEMIF_RING_M2S` (DPDK S2C): master to slave. */
  M2S: 1,
} as const;
export type RingType = (typeof RingType)[keyof typeof RingType];

/** Names a ring type, and unknown values too, without throwing. */
export function ringTypeToString(value: number): string {
  if (value === RingType.S2M) return 'S2M';
  if (value === RingType.M2S) return 'M2S';
  return `unknown(${value})`;
}
