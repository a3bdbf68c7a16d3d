import { describe, expect, it } from 'vitest';
import { mayRetainFreedHeap } from './retain-freed-heap.ts';

describe('mayRetainFreedHeap: the allocator is ours to tune only when nobody else did', () => {
  it('by default', () => {
    expect(mayRetainFreedHeap({})).toBe(true);
    expect(mayRetainFreedHeap({ GLIBC_TUNABLES: 'glibc.pthread.rseq=0' })).toBe(true);
  });

  it('not when the application tuned malloc or opted out', () => {
    expect(mayRetainFreedHeap({ MEMIF_MALLOC_DEFAULTS: '1' })).toBe(false);
    expect(mayRetainFreedHeap({ GLIBC_TUNABLES: 'glibc.malloc.trim_threshold=0' })).toBe(false);
    expect(mayRetainFreedHeap({ MALLOC_TRIM_THRESHOLD_: '131072' })).toBe(false);
    expect(mayRetainFreedHeap({ MALLOC_TOP_PAD_: '0' })).toBe(false);
  });
});
