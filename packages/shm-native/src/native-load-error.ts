import { ShmNativeError } from './shm-native-error.ts';

/** Where the loader looked: `platform` as `<os>-<arch>`, `libc` on Linux. */
export interface NativeLoadTarget {
  readonly platform: string;
  readonly libc: 'glibc' | 'musl' | undefined;
}

/** The addon could not be loaded from any candidate path. */
export class NativeLoadError extends ShmNativeError {
  static readonly code = 'ERR_SHM_NATIVE_LOAD';
  /** Every path tried, in order, with why it failed. */
  readonly tried: readonly string[];

  constructor(tried: readonly string[], target: NativeLoadTarget, options?: ErrorOptions) {
    super(
      NativeLoadError.code,
      ['Cannot load the @memif/shm-native addon. Tried:', ...tried.map((attempt) => `  - ${attempt}`), ...whatToDo(target)].join('\n'),
      options,
    );
    this.tried = tried;
  }
}

function whatToDo({ platform, libc }: NativeLoadTarget): string[] {
  if (!platform.startsWith('linux-')) {
    return [`memif needs Linux (memfd, eventfd, SOCK_SEQPACKET sockets); this is ${platform}.`];
  }
  const shipped = libc === 'glibc' && (platform === 'linux-x64' || platform === 'linux-arm64');
  return [
    shipped
      ? `If the ${platform} prebuild cannot load here (it needs glibc 2.17 or later), build from source:`
      : `No prebuild is published for ${platform} with ${libc ?? 'this libc'}; build from source:`,
    '  install a C++ compiler, make and python3 (Debian/Ubuntu: apt-get install g++ make python3;',
    '  Alpine: apk add g++ make python3 linux-headers; Fedora/RHEL: dnf install gcc-c++ make python3),',
    '  then run `npm rebuild @memif/shm-native` (pnpm: `pnpm rebuild @memif/shm-native`).',
    'Or set MEMIF_SHM_NATIVE_PATH to a compiled .node file.',
  ];
}
