import { createInterface, type MemifInterface, type MemifRole } from '../packages/memif/src/index.ts';

/** One side of the soak test: both processes must agree on these options. */
export function soakInterface(role: MemifRole, socket: string): MemifInterface {
  return createInterface({
    role,
    socket,
    socketAbstract: false,
    id: 1,
    log2RingSize: 8,
    reconnectInterval: 20,
    rxMode: 'polling',
    replaceStaleSocket: role === 'master',
  });
}
