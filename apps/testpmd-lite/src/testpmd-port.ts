import { createInterface, type MemifInterface, type QueueCounters } from '@memif/memif';
import { type NicStats, ratePerSecond, type Throughput } from './format-statistics.ts';
import type { PortDevice } from './parse-command-line.ts';
import { defaultPeerAddress, parseMacAddress } from './parse-mac-address.ts';

function zeroStats(): NicStats {
  return { rxPackets: 0, rxMissed: 0, rxBytes: 0, rxErrors: 0, rxNombuf: 0, txPackets: 0, txErrors: 0, txBytes: 0 };
}

function sum(queues: readonly QueueCounters[], key: 'packets' | 'bytes' | 'dropped'): number {
  let total = 0;
  for (const queue of queues) total += queue[key];
  return total;
}

/**
 * One testpmd port: a memif interface made from a `--vdev`, its MAC as bytes, the peer MAC that
 * mac and txonly write, and the statistics bookkeeping testpmd keeps per port (what `clear port
 * stats` subtracts, the previous `show` for throughput, frames the forwarding engine dropped).
 */
export class TestpmdPort {
  readonly id: number;
  readonly device: PortDevice;
  readonly iface: MemifInterface;
  readonly mac: Uint8Array;
  peerMac: Uint8Array;
  /** Frames the engines meant to send on this port but the tx ring had no room for. */
  forwardDropped = 0;
  #cleared: NicStats = zeroStats();
  #lastShow = { ns: 0n, rxPackets: 0, rxBytes: 0, txPackets: 0, txBytes: 0 };

  constructor(id: number, device: PortDevice, queues: { rxQueues: number; txQueues: number }, peerMac?: Uint8Array) {
    this.id = id;
    this.device = device;
    this.iface = createInterface({ ...device.options, rxQueues: queues.rxQueues, txQueues: queues.txQueues });
    this.mac = parseMacAddress(this.iface.config.mac) ?? new Uint8Array(6);
    this.peerMac = peerMac ?? defaultPeerAddress(id);
  }

  /** The devargs after the device name, as `show port info` prints them. */
  get devargs(): string {
    const comma = this.device.spec.indexOf(',');
    return comma < 0 ? '' : this.device.spec.slice(comma + 1);
  }

  /** The control socket as people write it: the path, or `@name` for an abstract name. */
  get socketName(): string {
    return this.iface.details().socket;
  }

  /** Counters since start-up, as the device reports them (rte_eth_stats_get). */
  deviceStats(): NicStats {
    const details = this.iface.details();
    return {
      rxPackets: sum(details.rx, 'packets'),
      rxMissed: 0,
      rxBytes: sum(details.rx, 'bytes'),
      rxErrors: sum(details.rx, 'dropped'),
      rxNombuf: 0,
      txPackets: sum(details.tx, 'packets'),
      txErrors: sum(details.tx, 'dropped'),
      txBytes: sum(details.tx, 'bytes'),
    };
  }

  /** Counters since start-up or the last `clear port stats`. */
  stats(): NicStats {
    const device = this.deviceStats();
    const since = zeroStats();
    for (const key of Object.keys(since) as Array<keyof NicStats>) since[key] = device[key] - this.#cleared[key];
    return since;
  }

  clearStats(): void {
    this.#cleared = this.deviceStats();
  }

  /** Rates since the previous call, as `show port stats` computes them; 0 on the first call. */
  throughput(stats: NicStats, nowNs: bigint = process.hrtime.bigint()): Throughput {
    const last = this.#lastShow;
    const elapsed = last.ns === 0n ? 0 : Number(nowNs - last.ns);
    const rate = {
      rxPps: ratePerSecond(stats.rxPackets - last.rxPackets, elapsed),
      rxBps: ratePerSecond((stats.rxBytes - last.rxBytes) * 8, elapsed),
      txPps: ratePerSecond(stats.txPackets - last.txPackets, elapsed),
      txBps: ratePerSecond((stats.txBytes - last.txBytes) * 8, elapsed),
    };
    this.#lastShow = { ns: nowNs, rxPackets: stats.rxPackets, rxBytes: stats.rxBytes, txPackets: stats.txPackets, txBytes: stats.txBytes };
    return rate;
  }

  close(): Promise<void> {
    // Closing tears the link down on purpose; what the interface reports about that is noise.
    this.iface.removeAllListeners('error');
    return this.iface.close();
  }
}
