/** Flags of ADD_RING (`MEMIF_MSG_ADD_RING_FLAG_*`). */
export const AddRingFlags = {
  /** The ring carries slave-to-master packets; clear means master-to-slave. */
  S2M: 1 << 0,
} as const;

/** A ring's direction, named from the slave's side as memif.h does. */
export type RingDirection = 's2m' | 'm2s';

export function ringDirectionFromFlags(flags: number): RingDirection {
  return (flags & AddRingFlags.S2M) !== 0 ? 's2m' : 'm2s';
}
