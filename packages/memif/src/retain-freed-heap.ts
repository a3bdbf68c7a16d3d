import { debuglog } from 'node:util';
import { retainFreedMemory } from '@memif/shm-native';

const debug = debuglog('memif');

/** Free heap glibc keeps for reuse once frames are being copied: a few seconds of copies at line rate. */
export const RETAINED_HEAP_BYTES = 32 * 1024 * 1024;
/** Heap growth taken at once, so growing back costs one brk(2) per MiB, not one per burst. */
export const HEAP_TOP_PAD_BYTES = 1024 * 1024;

let decided = false;

/**
 * Whether the process's allocator settings are ours to change: not when the application tuned
 * glibc's malloc itself (GLIBC_TUNABLES, MALLOC_*_ variables) or asked us not to
 * (MEMIF_MALLOC_DEFAULTS=1).
 */
export function mayRetainFreedHeap(env: NodeJS.ProcessEnv): boolean {
  if (env.MEMIF_MALLOC_DEFAULTS === '1') return false;
  if ((env.GLIBC_TUNABLES ?? '').includes('glibc.malloc.')) return false;
  return env.MALLOC_TRIM_THRESHOLD_ === undefined && env.MALLOC_TOP_PAD_ === undefined;
}

/**
 * Once per process, before the first copy of received frames: every burst `frames()` or a
 * stream copies is a new ArrayBuffer, freed by the next garbage collections. With glibc's
 * default settings the heap top those free goes back to the kernel and returns page fault by
 * page fault (zero-filled) on the next bursts: at 1500-byte frames that cost several times the
 * copy itself (docs/benchmarks.md). Keeping up to {@link RETAINED_HEAP_BYTES} of freed heap
 * removes it. Process-wide; see {@link mayRetainFreedHeap} for how to keep the defaults.
 */
export function retainFreedHeapForCopies(env: NodeJS.ProcessEnv = process.env): void {
  if (decided) return;
  decided = true;
  if (!mayRetainFreedHeap(env)) return;
  try {
    if (!retainFreedMemory({ trimThreshold: RETAINED_HEAP_BYTES, topPad: HEAP_TOP_PAD_BYTES }))
      debug('no mallopt: the allocator keeps its defaults');
  } catch (error) {
    debug('could not tune the allocator: %s', (error as Error).message);
  }
}
