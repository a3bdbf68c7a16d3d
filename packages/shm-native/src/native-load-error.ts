import { ShmNativeError } from './shm-native-error.ts';

/** The addon could not be loaded from any candidate path. */
export class NativeLoadError extends ShmNativeError {
  static readonly code = 'ERR_SHM_NATIVE_LOAD';
  /** Every path tried, in order, with why it failed. */
  readonly tried: readonly string[];

  constructor(tried: readonly string[], options?: ErrorOptions) {
    super(
      NativeLoadError.code,
      [
        'Cannot load the @memif/shm-native addon. Tried:',
        ...tried.map((attempt) => `  - ${attempt}`),
        'Build it with `pnpm --filter @memif/shm-native build:native` (needs g++, make, python3),',
        'or set MEMIF_SHM_NATIVE_PATH to a compiled .node file.',
      ].join('\n'),
      options,
    );
    this.tried = tried;
  }
}
