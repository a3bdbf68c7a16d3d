import { Mapping, type NativeBinding, Seal, SharedMemory } from '@memif/shm-native';

/** What `details()` shows of one region. */
export interface RegionDetails {
  readonly index: number;
  readonly size: number;
  readonly fd: number;
  /** F_GET_SEALS of the region's file. */
  readonly seals: number;
  /** False when the peer could shrink the file under our mapping (a SIGBUS risk). */
  readonly sealedAgainstShrink: boolean;
}

/**
 * One memif region, mapped: ours (the slave creates, sizes and seals it) or the peer's (the
 * master maps what ADD_REGION sent, after checking its real size). Owns its fd and mapping.
 */
export class SharedRegion {
  readonly index: number;
  readonly size: number;
  readonly memory: SharedMemory;
  readonly seals: number;
  readonly #mapping: Mapping;
  readonly bytes: Uint8Array;

  private constructor(index: number, size: number, memory: SharedMemory, mapping: Mapping, seals: number) {
    this.index = index;
    this.size = size;
    this.memory = memory;
    this.#mapping = mapping;
    this.bytes = new Uint8Array(mapping.buffer, 0, size);
    this.seals = seals;
  }

  /**
   * A new sealed memfd of `size` bytes, mapped. Shrink, grow and further seals are refused, never
   * writes: the peer maps it writable (spec §7.15).
   */
  static create(index: number, size: number, name: string, binding?: NativeBinding): SharedRegion {
    const seals = Seal.Shrink | Seal.Grow | Seal.Seal;
    const memory = SharedMemory.createMemfd(name, binding === undefined ? { size, seals } : { size, seals, binding });
    try {
      return new SharedRegion(index, size, memory, memory.map(size), seals);
    } catch (error) {
      memory.close();
      throw error;
    }
  }

  /**
   * Maps a peer's region fd after checking that the file really holds `claimedSize` bytes, so a
   * lying peer cannot make us touch memory past its end. Takes ownership of `fd` either way.
   * Returns the region, or why it was refused.
   */
  static adopt(
    index: number,
    claimedSize: number,
    fd: number,
    options: {
      /** Undefined: unsealed regions may be mapped; otherwise what to add to the refusal. */
      refuseUnsealed: string | undefined;
      binding?: NativeBinding | undefined;
    },
  ): SharedRegion | { refused: string } {
    const memory = SharedMemory.fromFd(fd, options.binding);
    try {
      if (claimedSize > Mapping.maxLength) {
        memory.close();
        return {
          refused: `Region ${index} is ${claimedSize} bytes, over this runtime's ${Mapping.maxLength}-byte mapping limit`,
        };
      }
      const actual = memory.size();
      if (actual < claimedSize) {
        memory.close();
        return { refused: `Region ${index} is ${actual} bytes, smaller than the ${claimedSize} announced` };
      }
      let seals = 0;
      try {
        seals = memory.seals();
      } catch {
        // Files that cannot carry seals (e.g. on some hugetlbfs mounts) count as unsealed.
      }
      if (options.refuseUnsealed !== undefined && (seals & Seal.Shrink) === 0) {
        memory.close();
        return { refused: `Region ${index} is not sealed against shrinking${options.refuseUnsealed}` };
      }
      return new SharedRegion(index, claimedSize, memory, memory.map(claimedSize), seals);
    } catch (error) {
      memory.close();
      return { refused: `Region ${index} cannot be mapped: ${(error as Error).message}` };
    }
  }

  get fd(): number {
    return this.memory.fd;
  }

  details(): RegionDetails {
    return {
      index: this.index,
      size: this.size,
      fd: this.memory.closed ? -1 : this.memory.fd,
      seals: this.seals,
      sealedAgainstShrink: (this.seals & Seal.Shrink) !== 0,
    };
  }

  /**
   * Detaches every view (length 0 from now on: reads give undefined, writes are dropped, methods
   * throw), unmaps, closes the fd. Idempotent.
   */
  close(): void {
    this.#mapping.unmap();
    this.memory.close();
  }
}
