// The prebuilds the tarball carries, one per architecture, and where each one lives.
import { join } from 'node:path';

/** Architectures as Node names them, with the GNU triplet of their Debian cross compiler. */
export const PREBUILD_TARGETS = [
  { arch: 'x64', triplet: 'x86_64-linux-gnu' },
  { arch: 'arm64', triplet: 'aarch64-linux-gnu' },
];

/** prebuildify's layout and name for a Node-API build tagged with its libc. */
export function prebuildPath(packageRoot, arch) {
  return join(packageRoot, 'prebuilds', `linux-${arch}`, 'node.napi.glibc.node');
}
