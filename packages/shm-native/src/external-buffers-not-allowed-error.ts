import { ShmNativeError } from './shm-native-error.ts';

/**
 * The runtime refuses external ArrayBuffers (V8 sandbox builds such as Electron), so shared
 * memory cannot be exposed to JS. Copying is no substitute for shared memory.
 */
export class ExternalBuffersNotAllowedError extends ShmNativeError {
  static readonly code = 'ERR_SHM_NATIVE_EXTERNAL_BUFFERS_NOT_ALLOWED';

  constructor() {
    super(
      ExternalBuffersNotAllowedError.code,
      'mmap: this runtime does not allow external ArrayBuffers (V8 sandbox), so shared memory ' +
        'cannot be mapped into JS; use a Node.js build without the V8 sandbox',
    );
  }
}
