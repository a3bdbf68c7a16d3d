import type { UnixAddress } from '@memif/shm-native';
import type { Listener } from './listener.ts';
import { MemifError } from './memif-error.ts';
import { socketKey } from './socket-address.ts';

/**
 * What this process does with each socket (by {@link socketKey}): listens (masters, one shared
 * listener per socket) or connects (slaves). A socket is one or the other in one process.
 */
const listened = new Map<string, Listener>();
const slaveSockets = new Map<string, number>();

/** In one process a socket is either listened on (masters) or connected to (slaves). */
function socketUsedBy(role: 'master' | 'slave', key: string): MemifError {
  return new MemifError(
    'ERR_MEMIF_SOCKET_IN_USE',
    `socket ${key} is used by a ${role} interface of this process; a socket is either listened on or connected to`,
    { option: 'socket' },
  );
}

/** Slaves announce the socket they connect to, so no master of this process listens there. */
export function registerSlaveSocket(address: UnixAddress): () => void {
  const key = socketKey(address);
  if (listened.has(key)) throw socketUsedBy('master', key);
  slaveSockets.set(key, (slaveSockets.get(key) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (slaveSockets.get(key) ?? 1) - 1;
    if (left === 0) slaveSockets.delete(key);
    else slaveSockets.set(key, left);
  };
}

/** The listener of socket `key` in this process; throws when slaves of this process connect there. */
export function listenerOf(key: string): Listener | undefined {
  if (slaveSockets.has(key)) throw socketUsedBy('slave', key);
  return listened.get(key);
}

/** Records the listener of socket `key` (undefined: it closed). */
export function setListenerOf(key: string, listener: Listener | undefined): void {
  if (listener === undefined) listened.delete(key);
  else listened.set(key, listener);
}
