import { createRingCounters, type RingCounters } from './ring-counters.ts';
import type { RingView } from './ring-view.ts';

export interface RingEndpointOptions {
  /** The ring this endpoint works on. */
  readonly ring: RingView;
  /** Every region the descriptors may point into, indexed by region number. */
  readonly regions: readonly Uint8Array[];
  /** Most slots one frame may take (default and maximum: the ring size). */
  readonly maxChain?: number;
}

/** What every producer and consumer holds: its ring, the regions, the chain bound and counters. */
export abstract class RingEndpoint {
  readonly ring: RingView;
  readonly regions: readonly Uint8Array[];
  readonly counters: RingCounters = createRingCounters();
  readonly maxChain: number;

  protected constructor(options: RingEndpointOptions) {
    this.ring = options.ring;
    this.regions = options.regions;
    const size = options.ring.size;
    this.maxChain = Math.max(1, Math.min(size, Math.floor(options.maxChain ?? size)));
  }
}
