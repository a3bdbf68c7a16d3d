import type { UnixAddress } from '@memif/shm-native';
import type { MemifConfig } from './memif-options.ts';

/** The control socket of a configuration, as shm-native addresses it. */
export function socketAddress(config: Pick<MemifConfig, 'socket' | 'socketAbstract'>): UnixAddress {
  return config.socketAbstract ? { abstract: config.socket } : { path: config.socket };
}

/** One key per socket, told apart by namespace: `@name` for abstract, the path otherwise. */
export function socketKey(address: UnixAddress): string {
  return 'abstract' in address ? `@${address.abstract}` : address.path;
}
