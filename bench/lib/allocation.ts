import { runChild } from './setup.ts';

export interface AllocationResult {
  name: string;
  frames: number;
  bytesPerFrame: number;
  scavenges: number;
  markSweeps: number;
  ok: boolean;
}

/** Heap growth and GC count over 50 000 bursts of 32 on the burst path (one child process). */
export function allocationCheck(): Promise<AllocationResult[]> {
  return runChild<AllocationResult[]>('alloc');
}
