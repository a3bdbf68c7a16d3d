/** What `show port stats` shows of one port, as rte_eth_stats names it. */
export interface NicStats {
  rxPackets: number;
  rxMissed: number;
  rxBytes: number;
  rxErrors: number;
  rxNombuf: number;
  txPackets: number;
  txErrors: number;
  txBytes: number;
}

/** Rates since the previous `show port stats` of the same port. */
export interface Throughput {
  rxPps: number;
  rxBps: number;
  txPps: number;
  txBps: number;
}

/** What `stop` shows of one port (or of all ports together). */
export interface ForwardStats {
  rxPackets: number;
  rxDropped: number;
  txPackets: number;
  txDropped: number;
}

// printf("%-Nd") and ("%Nd") of dpdk-testpmd's config.c and testpmd.c.
const left = (value: number, width: number): string => String(value).padEnd(width);
const right = (value: number, width: number): string => String(value).padStart(width);

const NIC_BORDER = '#'.repeat(24);
const FWD_BORDER = '-'.repeat(22);
const ACC_BORDER = '+'.repeat(15);

/** The `show port stats` block, byte for byte as dpdk-testpmd 22.11 prints it (leading newline included). */
export function formatNicStats(port: number, stats: NicStats, rate: Throughput): string {
  return [
    '',
    `  ${NIC_BORDER} NIC statistics for port ${left(port, 2)} ${NIC_BORDER}`,
    `  RX-packets: ${left(stats.rxPackets, 10)} RX-missed: ${left(stats.rxMissed, 10)} RX-bytes:  ${stats.rxBytes}`,
    `  RX-errors: ${stats.rxErrors}`,
    `  RX-nombuf:  ${left(stats.rxNombuf, 10)}`,
    `  TX-packets: ${left(stats.txPackets, 10)} TX-errors: ${left(stats.txErrors, 10)} TX-bytes:  ${stats.txBytes}`,
    '',
    '  Throughput (since last show)',
    `  Rx-pps: ${right(rate.rxPps, 12)}          Rx-bps: ${right(rate.rxBps, 12)}`,
    `  Tx-pps: ${right(rate.txPps, 12)}          Tx-bps: ${right(rate.txBps, 12)}`,
    `  ${NIC_BORDER}${'#'.repeat(28)}${NIC_BORDER}`,
    '',
  ].join('\n');
}

function forwardLines(stats: ForwardStats): string[] {
  return [
    `  RX-packets: ${left(stats.rxPackets, 14)} RX-dropped: ${left(stats.rxDropped, 14)}RX-total: ${stats.rxPackets + stats.rxDropped}`,
    `  TX-packets: ${left(stats.txPackets, 14)} TX-dropped: ${left(stats.txDropped, 14)}TX-total: ${stats.txPackets + stats.txDropped}`,
  ];
}

/** One port's `Forward statistics` block printed by `stop` (leading newline included). */
export function formatForwardStats(port: number, stats: ForwardStats): string {
  return [
    '',
    `  ${FWD_BORDER} Forward statistics for port ${left(port, 2)} ${FWD_BORDER}`,
    ...forwardLines(stats),
    `  ${FWD_BORDER}${'-'.repeat(32)}${FWD_BORDER}`,
    '',
  ].join('\n');
}

/** The `Accumulated forward statistics for all ports` block printed by `stop` after the ports'. */
export function formatAccumulatedForwardStats(stats: ForwardStats): string {
  return [
    '',
    `  ${ACC_BORDER} Accumulated forward statistics for all ports${ACC_BORDER}`,
    ...forwardLines(stats),
    `  ${'+'.repeat(76)}`,
    '',
  ].join('\n');
}

/** Packets or bits per second over `elapsedNs`, as testpmd computes them (0 before a first interval). */
export function ratePerSecond(delta: number, elapsedNs: number): number {
  if (elapsedNs <= 0 || delta <= 0) return 0;
  return Math.floor((delta * 1e9) / elapsedNs);
}
