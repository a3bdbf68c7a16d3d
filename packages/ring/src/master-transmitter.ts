import { RingProducer, type RingProducerOptions } from './ring-producer.ts';

export type MasterTransmitterOptions = RingProducerOptions;

/**
 * The master's side of an M2S ring (spec §3.3): it fills the buffers the slave posted, writes at
 * most the posted capacity into each, and publishes with `tail`. Each posted slot is checked
 * against the mapped regions before a byte is written; a bad one is counted and stops the burst.
 */
export class MasterTransmitter extends RingProducer {
  /** Starts from the ring's current tail. Allocates per-slot bookkeeping. */
  constructor(options: MasterTransmitterOptions) {
    super(options, options.ring.loadTail());
  }

  protected peerFreeSlots(): number {
    const free = (this.ring.loadHead() - this.index) & 0xffff;
    if (free > this.ring.size) {
      this.counters.badIndex++;
      return 0;
    }
    return free;
  }

  protected probeSlot(slot: number): boolean {
    const ring = this.ring;
    // Read once: the values checked are the values used.
    const region = ring.descRegion(slot);
    const offset = ring.descOffset(slot);
    const capacity = ring.descLength(slot);
    const bytes = this.regions[region];
    if (bytes === undefined) {
      this.counters.badRegion++;
      return false;
    }
    if (capacity === 0) {
      this.counters.badLength++;
      return false;
    }
    if (offset + capacity > bytes.byteLength) {
      this.counters.badOffset++;
      return false;
    }
    this.slotRegion[slot] = region;
    this.slotOffset[slot] = offset;
    this.slotCapacity[slot] = capacity;
    return true;
  }

  protected writeDescriptor(slot: number): void {
    // Region and offset belong to the slave: only length and flags are ours to write.
    this.ring.setDescLength(slot, this.slotLength[slot] ?? 0);
    this.ring.setDescFlags(slot, this.slotFlags[slot] ?? 0);
  }

  protected storeIndex(index: number): void {
    this.ring.storeTail(index);
  }
}
