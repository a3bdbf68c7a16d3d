import { constants } from 'node:os';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, loadNative, Mapping, Seal, SharedMemory } from '../src/index.ts';

const GiB4 = 2 ** 32;
const PAGE = loadNative().constants.PAGE_SIZE;

// memif region sizes are u64: a peer may legally announce more than 4 GiB. The files here are
// sparse memfds, so they cost address space, not memory.
describe('mappings around 4 GiB', () => {
  it('maps a sealed sparse memfd of exactly 4 GiB and reaches its last byte', () => {
    const memory = SharedMemory.createMemfd('four-gib', { size: GiB4, seals: Seal.Shrink | Seal.Grow });
    try {
      const mapping = memory.map();
      expect(mapping.length).toBe(GiB4);
      const bytes = new Uint8Array(mapping.buffer, GiB4 - PAGE, PAGE);
      bytes[PAGE - 1] = 0x5a;
      expect(bytes[PAGE - 1]).toBe(0x5a);
      mapping.unmap();
    } finally {
      memory.close();
    }
  });

  it('maps more than 4 GiB where the runtime allows it, and otherwise refuses with the limit, never crashing', () => {
    const size = GiB4 + PAGE;
    const memory = SharedMemory.createMemfd('over-four-gib', { size, seals: Seal.Shrink | Seal.Grow });
    try {
      if (size <= Mapping.maxLength) {
        const mapping = memory.map();
        expect(mapping.buffer.byteLength).toBe(size);
        const tail = new Uint8Array(mapping.buffer, size - PAGE, PAGE);
        tail[0] = 7;
        expect(tail[0]).toBe(7);
        mapping.unmap();
      } else {
        expect(() => memory.map()).toThrow(InvalidArgumentError);
        expect(() => memory.map()).toThrow(`exceeds the largest ArrayBuffer this runtime can map (${Mapping.maxLength} bytes`);
        // Below the typed layer too: the addon reports the refusal instead of freeing twice.
        expect(loadNative().mmap(memory.fd, size, 0)).toBe(-constants.errno.EOVERFLOW);
        expect(loadNative().mmap(memory.fd, size, 0)).toBe(-constants.errno.EOVERFLOW);
      }
      // Whatever happened, mapping still works.
      const small = memory.map(PAGE);
      expect(small.length).toBe(PAGE);
      small.unmap();
    } finally {
      memory.close();
    }
  });
});
