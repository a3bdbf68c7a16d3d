import { ShmNativeError } from './shm-native-error.ts';

/** An argument was rejected before any syscall was made. */
export class InvalidArgumentError extends ShmNativeError {
  static readonly code = 'ERR_SHM_NATIVE_INVALID_ARGUMENT';

  constructor(message: string) {
    super(InvalidArgumentError.code, message);
  }
}
