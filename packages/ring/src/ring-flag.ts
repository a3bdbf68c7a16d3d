import { describeFlags } from './describe-flags.ts';

/** Bits of the ring header `flags` field (`MEMIF_RING_FLAG_*`). */
export const RingFlag = {
  /** `MEMIF_RING_FLAG_MASK_INT`: the receiver of this ring polls and asks not to be signalled. */
  MaskInt: 1,
} as const;
export type RingFlag = (typeof RingFlag)[keyof typeof RingFlag];

/** Names the set bits of a ring flags value, unknown bits included, without throwing. */
export function ringFlagsToString(value: number): string {
  return describeFlags(value, [[RingFlag.MaskInt, 'MASK_INT']]);
}
