import { createRingCounters, type RingCounters } from '@memif/ring';

/**
 * Counters of one queue; they survive disconnects. The ring's counters (frames, bytes, drops per
 * reason) plus what only the interface can see.
 */
export interface QueueCounters extends RingCounters {
  /**
   * Frames still in the ring when a connection ended, and so lost with it. Transmit queues: frames
   * a send reported as sent that the peer had not consumed. Receive queues: frames the peer
   * published that we had not received (the only count left when the peer died).
   */
  lostOnDisconnect: number;
}

/** A zeroed counters object. Allocates. */
export function createQueueCounters(): QueueCounters {
  return { ...createRingCounters(), lostOnDisconnect: 0 };
}

/** Adds every count of `from` into `into`; a ring's counters have no `lostOnDisconnect`. */
export function addQueueCounters(into: QueueCounters, from: RingCounters | QueueCounters): void {
  for (const key of Object.keys(from) as Array<keyof QueueCounters>) {
    into[key] += (from as QueueCounters)[key];
  }
}
