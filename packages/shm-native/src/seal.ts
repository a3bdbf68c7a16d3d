/**
 * File seal bits for `SharedMemory.addSeals` / `seals()` (F_SEAL_* in <fcntl.h>; Linux ABI
 * values, checked against the addon's headers by a test).
 */
export const Seal = {
  /** F_SEAL_SEAL: no further seals may be added. */
  Seal: 0x1,
  /** F_SEAL_SHRINK: the file cannot get smaller, so a peer's mapping cannot SIGBUS. */
  Shrink: 0x2,
  /** F_SEAL_GROW: the file cannot get larger. */
  Grow: 0x4,
  /** F_SEAL_WRITE: no writes; never set it on shared regions, a peer's writable mapping fails. */
  Write: 0x8,
} as const;
