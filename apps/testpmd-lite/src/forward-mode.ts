/** The forwarding engines testpmd-lite implements, by dpdk-testpmd's names. */
export const FORWARD_MODES = ['io', 'mac', 'macswap', 'rxonly', 'txonly', 'icmpecho'] as const;

export type ForwardMode = (typeof FORWARD_MODES)[number];

export function isForwardMode(name: string): name is ForwardMode {
  return (FORWARD_MODES as readonly string[]).includes(name);
}
