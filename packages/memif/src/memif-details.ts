import type { Link } from './link.ts';
import type { MemifConfig } from './memif-options.ts';
import type { MemifState } from './memif-state.ts';
import type { QueueCounters } from './queue-counters.ts';
import type { RegionDetails } from './shared-region.ts';

export interface RingDetails {
  readonly direction: 's2m' | 'm2s';
  readonly index: number;
  readonly offset: number;
  readonly ringSize: number;
  readonly head: number;
  readonly tail: number;
  readonly flags: number;
  readonly interruptFd: number;
}

/** What `details()` returns, in the spirit of VPP's `show memif`. */
export interface MemifDetails {
  readonly name: string;
  readonly role: MemifConfig['role'];
  readonly id: number;
  readonly socket: string;
  readonly state: MemifState;
  readonly mode: MemifConfig['mode'];
  readonly rxMode: MemifConfig['rxMode'];
  readonly mac: string;
  readonly bufferSize: number;
  readonly log2RingSize: number;
  readonly zeroCopy: boolean;
  readonly peerName: string;
  readonly peerInterfaceName: string;
  readonly localDisconnectReason: string | undefined;
  readonly remoteDisconnectReason: string | undefined;
  readonly regions: readonly RegionDetails[];
  readonly rings: readonly RingDetails[];
  readonly rx: readonly QueueCounters[];
  readonly tx: readonly QueueCounters[];
  readonly connections: number;
  /**
   * What the interface warned about (once each, as a `'warning'` event, or a process warning when
   * nobody listens), e.g. a master writing more than our buffers hold.
   */
  readonly warnings: readonly string[];
  /**
   * The last failure the interface saw: a slave's failed connect (`code` ENOENT, EACCES,
   * ECONNREFUSED...), a refused or misbehaving peer. Kept after a later success, for diagnosis.
   */
  readonly lastError: { readonly code: string; readonly message: string } | undefined;
}

interface RingIndices {
  readonly offset: number;
  readonly size: number;
  loadHead(): number;
  loadTail(): number;
  loadFlags(): number;
}

/** The rings of an up `link` as `details()` shows them: receive rings first, then transmit. */
export function ringDetails(link: Link, role: MemifConfig['role']): RingDetails[] {
  const rings: RingDetails[] = [];
  const push = (direction: 's2m' | 'm2s', index: number, view: RingIndices, fd: number): void => {
    rings.push({
      direction,
      index,
      offset: view.offset,
      ringSize: view.size,
      head: view.loadHead(),
      tail: view.loadTail(),
      flags: view.loadFlags(),
      interruptFd: fd,
    });
  };
  const master = role === 'master';
  for (const q of link.rxQueues) push(master ? 's2m' : 'm2s', q.index, q.ring, q.interrupt.fd);
  for (const q of link.txQueues) push(master ? 'm2s' : 's2m', q.index, q.transmitter.ring, q.interrupt.fd);
  return rings;
}
