/** Why a packet read from the peer was dropped, or why the peer's ring state was refused. */
export type DropReason =
  /** Descriptor names a region that is not mapped (or, slave side, not the one posted). */
  | 'badRegion'
  /** `offset + length` leaves the region (or, slave side, offset differs from the posted one). */
  | 'badOffset'
  /** Length above the role's limit (posted capacity, or the master's max descriptor length). */
  | 'badLength'
  /** A packet of zero bytes. */
  | 'zeroLength'
  /** A chain longer than the configured bound. */
  | 'chainTooLong'
  /** The peer's index claims more entries than the ring holds, or passes ours. */
  | 'badIndex';

/**
 * Per-ring statistics. Peer-data problems are counted here, never thrown. The object is created
 * once per endpoint and updated in place.
 */
export interface RingCounters extends Record<DropReason, number> {
  /** Packets handed out (receivers) or published (transmitters). */
  packets: number;
  /** Payload bytes of those packets. */
  bytes: number;
  /** Packets dropped for any reason (sum of the per-reason counts that concern packets). */
  dropped: number;
}

/** A zeroed counters object. Allocates. */
export function createRingCounters(): RingCounters {
  return {
    packets: 0,
    bytes: 0,
    dropped: 0,
    badRegion: 0,
    badOffset: 0,
    badLength: 0,
    zeroLength: 0,
    chainTooLong: 0,
    badIndex: 0,
  };
}
