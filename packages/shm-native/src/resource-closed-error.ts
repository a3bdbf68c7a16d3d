import { ShmNativeError } from './shm-native-error.ts';

/** A closed descriptor, unmapped mapping or closed watcher was used. */
export class ResourceClosedError extends ShmNativeError {
  static readonly code = 'ERR_SHM_NATIVE_CLOSED';

  constructor(resource: string) {
    super(ResourceClosedError.code, `the ${resource} has been closed`);
  }
}
