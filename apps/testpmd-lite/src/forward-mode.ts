/** The forwarding engines testpmd-lite implements, by dpdk-testpmd's names. */
export const FORWARD_MODES = ['io', 'mac', 'macswap', 'rxonly', 'txonly', 'icmpecho'] as const;

export type ForwardMode = (typeof FORWARD_MODES)[number];

export function isForwardMode(name: string): name is ForwardMode {
  return (FORWARD_MODES as readonly string[]).includes(name);
}

/**
 * dpdk-testpmd 22.11's other engines: asked for one of these, testpmd-lite refuses to start
 * rather than forward differently from what the script expects.
 */
export const UNIMPLEMENTED_DPDK_MODES: readonly string[] = ['flowgen', 'csum', 'ieee1588', 'noisy', '5tswap', 'shared-rxq'];
