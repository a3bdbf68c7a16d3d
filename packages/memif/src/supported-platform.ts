import type { NativeBinding } from '@memif/shm-native';
import { MemifError } from './memif-error.ts';

/**
 * memif runs on Linux only, but the packages install anywhere so that code and types can be
 * written and unit-tested elsewhere (with an injected fake binding). Without one, an interface
 * on another OS fails here, once and clearly, instead of deep in the addon loader.
 */
export function assertSupportedPlatform(binding: NativeBinding | undefined, platform: string = process.platform): void {
  if (binding !== undefined || platform === 'linux') return;
  throw new MemifError(
    'ERR_MEMIF_UNSUPPORTED_PLATFORM',
    `memif interfaces need Linux (memfd, eventfd, SOCK_SEQPACKET unix sockets); this is ${platform}. ` +
      'Elsewhere the package offers its types and, with a fake binding injected, its logic for unit tests.',
  );
}
