/**
 * The forwarding engines testpmd-lite implements: dpdk-testpmd's by their names, and
 * `lite-rxcopy`, testpmd-lite's own (no dpdk-testpmd has it, hence the prefix): rxonly that copies
 * every received frame out into mbuf-sized buffers, the work DPDK's memif receiver does per frame,
 * for benchmarks that compare like with like.
 */
export const FORWARD_MODES = ['io', 'mac', 'macswap', 'rxonly', 'txonly', 'icmpecho', 'lite-rxcopy'] as const;

export type ForwardMode = (typeof FORWARD_MODES)[number];

export function isForwardMode(name: string): name is ForwardMode {
  return (FORWARD_MODES as readonly string[]).includes(name);
}

/**
 * dpdk-testpmd 22.11's other engines: asked for one of these, testpmd-lite refuses to start
 * rather than forward differently from what the script expects.
 */
export const UNIMPLEMENTED_DPDK_MODES: readonly string[] = ['flowgen', 'csum', 'ieee1588', 'noisy', '5tswap', 'shared-rxq'];
