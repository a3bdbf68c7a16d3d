/** An architecture we ship a prebuild for, as Node names it, with its Debian cross compiler's triplet. */
export interface PrebuildTarget {
  readonly arch: 'x64' | 'arm64';
  readonly triplet: string;
}
export declare const PREBUILD_TARGETS: readonly PrebuildTarget[];
export declare function prebuildPath(packageRoot: string, arch: string): string;
