import { constants } from 'node:os';
import { assertInteger } from './assert-argument.ts';
import { resolveBinding } from './default-binding.ts';
import { ErrnoError } from './errno-error.ts';
import type { NativeBinding } from './native.ts';

export interface RetainFreedMemoryOptions {
  /** Free memory at the top of the heap kept rather than returned to the kernel (M_TRIM_THRESHOLD). */
  readonly trimThreshold: number;
  /** Extra memory taken each time the heap grows (M_TOP_PAD). */
  readonly topPad: number;
  readonly binding?: NativeBinding | undefined;
}

/**
 * Tells glibc's allocator to keep freed heap memory for reuse (mallopt(3) M_TRIM_THRESHOLD and
 * M_TOP_PAD; process-wide). Under the default settings a process that frees many short-lived
 * ArrayBuffers (copies of received frames) returns the heap top to the kernel after every
 * garbage collection and takes it back, zero-filled, page fault by page fault, on the next
 * allocations: at 1500-byte frames that costs several times the copy itself. Returns false on a
 * C library without mallopt (nothing changed).
 */
export function retainFreedMemory(options: RetainFreedMemoryOptions): boolean {
  assertInteger(options.trimThreshold, 'trimThreshold', 0, 0x7fffffff);
  assertInteger(options.topPad, 'topPad', 0, 0x7fffffff);
  const result = resolveBinding(options.binding).mallocRetainFreed(options.trimThreshold, options.topPad);
  if (result === -constants.errno.ENOSYS) return false;
  ErrnoError.check(result, 'mallopt');
  return true;
}
