import type { SeqpacketSocket } from '@memif/shm-native';
import type { MemifConfig } from './memif-options.ts';

/**
 * Checks the process at the other end of a control socket (SO_PEERCRED, fixed at connect time)
 * against `allowedUids` / `allowedGids`. Returns why the peer is refused, or undefined when it may
 * stay. A socket whose credentials cannot be read is refused when a policy is set: "unknown" is
 * not "allowed".
 */
export function refusePeer(socket: SeqpacketSocket, config: Pick<MemifConfig, 'allowedUids' | 'allowedGids'>): string | undefined {
  const { allowedUids, allowedGids } = config;
  if (allowedUids === undefined && allowedGids === undefined) return undefined;
  let credentials: ReturnType<SeqpacketSocket['peerCredentials']>;
  try {
    credentials = socket.peerCredentials();
  } catch (error) {
    return `Peer credentials unavailable: ${(error as Error).message}`.slice(0, 95);
  }
  if (allowedUids !== undefined && !allowedUids.includes(credentials.uid)) return `Peer uid ${credentials.uid} not allowed`;
  if (allowedGids !== undefined && !allowedGids.includes(credentials.gid)) return `Peer gid ${credentials.gid} not allowed`;
  return undefined;
}
