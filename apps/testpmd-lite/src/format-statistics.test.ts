import { describe, expect, it } from 'vitest';
import { formatAccumulatedForwardStats, formatForwardStats, formatNicStats, ratePerSecond } from './format-statistics.ts';

// Captured from dpdk-testpmd 22.11 on this machine (`show port stats 0`, `stop`), spaces and all.
const DPDK_NIC_STATS = `
  ######################## NIC statistics for port 0  ########################
  RX-packets: 6496       RX-missed: 0          RX-bytes:  415744
  RX-errors: 0
  RX-nombuf:  0         
  TX-packets: 6528       TX-errors: 0          TX-bytes:  417792

  Throughput (since last show)
  Rx-pps:            0          Rx-bps:            0
  Tx-pps:            0          Tx-bps:            0
  ############################################################################
`;

const DPDK_FORWARD_STATS = `
  ---------------------- Forward statistics for port 0  ----------------------
  RX-packets: 10336          RX-dropped: 0             RX-total: 10336
  TX-packets: 10368          TX-dropped: 0             TX-total: 10368
  ----------------------------------------------------------------------------
`;

const DPDK_ACCUMULATED = `
  +++++++++++++++ Accumulated forward statistics for all ports+++++++++++++++
  RX-packets: 0              RX-dropped: 0             RX-total: 0
  TX-packets: 0              TX-dropped: 134257920     TX-total: 134257920
  ++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++
`;

describe('formatNicStats', () => {
  it('prints the block exactly as dpdk-testpmd does', () => {
    const text = formatNicStats(
      0,
      { rxPackets: 6496, rxMissed: 0, rxBytes: 415744, rxErrors: 0, rxNombuf: 0, txPackets: 6528, txErrors: 0, txBytes: 417792 },
      { rxPps: 0, rxBps: 0, txPps: 0, txBps: 0 },
    );
    expect(text).toBe(DPDK_NIC_STATS);
  });

  it('right-aligns rates in 12 columns and pads two-digit port numbers', () => {
    const text = formatNicStats(
      12,
      { rxPackets: 1, rxMissed: 0, rxBytes: 64, rxErrors: 0, rxNombuf: 0, txPackets: 1, txErrors: 0, txBytes: 64 },
      { rxPps: 418233, rxBps: 214135551, txPps: 1, txBps: 512 },
    );
    expect(text).toContain('NIC statistics for port 12 ####');
    expect(text).toContain('  Rx-pps:       418233          Rx-bps:    214135551\n');
    expect(text).toContain('  Tx-pps:            1          Tx-bps:          512\n');
  });
});

describe('forward statistics', () => {
  it('prints a port block exactly as dpdk-testpmd does on stop', () => {
    expect(formatForwardStats(0, { rxPackets: 10336, rxDropped: 0, txPackets: 10368, txDropped: 0 })).toBe(DPDK_FORWARD_STATS);
  });

  it('prints the accumulated block exactly as dpdk-testpmd does', () => {
    expect(formatAccumulatedForwardStats({ rxPackets: 0, rxDropped: 0, txPackets: 0, txDropped: 134257920 })).toBe(DPDK_ACCUMULATED);
  });
});

describe('ratePerSecond', () => {
  it('is 0 before a first interval and per second after', () => {
    expect(ratePerSecond(100, 0)).toBe(0);
    expect(ratePerSecond(500, 500_000_000)).toBe(1000);
    expect(ratePerSecond(-5, 1e9)).toBe(0);
  });
});
