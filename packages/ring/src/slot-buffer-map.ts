/**
 * Where the fixed copy-mode buffer of each slot of one ring lives: the slave's own buffers, as
 * placed by a {@link RegionLayout}. Descriptors pointing elsewhere are zero-copy.
 */
export interface SlotBufferMap {
  /** Region index holding the buffers. */
  readonly region: number;
  /** Capacity of every buffer (the slave's buffer size B). */
  readonly capacity: number;
  /** Offset inside the region of the buffer of slot `slot` (0..ring size − 1). */
  offsetOf(slot: number): number;
}
