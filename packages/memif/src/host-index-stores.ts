import type { IndexStores } from '@memif/ring';

/**
 * How the rings of this process publish their indices. On x86-64 every store is a release store
 * in hardware (total store order), so the full fence of `Atomics.store` buys a publish nothing and
 * costs the wait for the whole burst's stores to drain, once per burst and ring; DPDK and VPP
 * publish with a plain `mov` there too. Every other CPU (arm64 above all, whose stores may become
 * visible out of order) keeps the fenced store. See `IndexStores` in `@memif/ring`.
 */
export function hostIndexStores(arch: string = process.arch): IndexStores {
  return arch === 'x64' ? 'plain-release-tso' : 'fenced';
}
