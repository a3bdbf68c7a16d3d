import type { SeqpacketSocket } from '@memif/shm-native';
import { escapePeerText } from './escape-peer-text.ts';

/**
 * Which peer regions a master maps when they are not sealed against shrinking (F_SEAL_SHRINK):
 * a peer that shrinks such a file under our mapping kills us with SIGBUS. `same-uid` (the
 * default) accepts them only from a peer running as our own uid (SO_PEERCRED), which could
 * harm us by other means anyway (ptrace, /proc/<pid>/mem); `refuse` never; `accept` from anyone.
 * DPDK's, VPP's and libmemif's copy-mode regions are sealed; DPDK's zero-copy regions are not.
 */
export type UnsealedRegionPolicy = 'refuse' | 'same-uid' | 'accept';

export const UNSEALED_REGION_POLICIES: readonly UnsealedRegionPolicy[] = ['refuse', 'same-uid', 'accept'];

/**
 * Why this peer's unsealed regions are refused (appended to "Region N is not sealed against
 * shrinking"), or undefined when they may be mapped.
 */
export function refuseUnsealedRegions(policy: UnsealedRegionPolicy, socket: SeqpacketSocket): string | undefined {
  if (policy === 'accept') return undefined;
  if (policy === 'refuse') return '';
  let uid: number;
  try {
    uid = socket.peerCredentials().uid;
  } catch {
    return ' (peer uid unknown)';
  }
  const ours = process.geteuid?.();
  return uid === ours ? undefined : ` (peer uid ${uid} is not ours)`;
}

let warned = false;

/** Says once per process that an unsealed region was mapped, and what that risks. */
export function warnUnsealedRegionOnce(index: number, peerName: string): void {
  if (warned) return;
  warned = true;
  process.emitWarning(
    `memif: mapped region ${index} of peer "${escapePeerText(peerName)}", which is not sealed against shrinking: ` +
      'if that peer shrinks it, this process dies with SIGBUS (unsealedRegions: "refuse" forbids such regions)',
    { code: 'MEMIF_UNSEALED_REGION' },
  );
}
