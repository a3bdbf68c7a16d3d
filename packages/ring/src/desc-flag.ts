import { describeFlags } from './describe-flags.ts';

/** Bits of the descriptor `flags` field (`MEMIF_DESC_FLAG_*`). */
export const DescFlag = {
  /** `MEMIF_DESC_FLAG_NEXT`: the packet continues in the next slot. */
  Next: 1,
} as const;
export type DescFlag = (typeof DescFlag)[keyof typeof DescFlag];

/** Names the set bits of a descriptor flags value, unknown bits included, without throwing. */
export function descFlagsToString(value: number): string {
  return describeFlags(value, [[DescFlag.Next, 'NEXT']]);
}
