import { rmSync } from 'node:fs';
import { type Impl, PmdProcess, type PortStats, sleep } from './pmd-process.ts';
import { receiverMode } from './receiver-work.ts';

/**
 * one-way: txonly -> rxonly; one-way-copy: the same, but a testpmd-lite receiver runs lite-rxcopy
 * (copies every frame, as DPDK's receiver does); two-way: io on both sides.
 */
export type Pattern = 'one-way' | 'one-way-copy' | 'two-way';

export interface Scenario {
  readonly pattern: Pattern;
  readonly size: number;
  /** Sender (one-way: txonly; two-way: the side that injects with tx_first) and receiver. */
  readonly from: Impl;
  readonly to: Impl;
}

export interface Trial {
  /** Frames per second received (one-way: at the receiver; two-way: both receivers summed). */
  pps: number;
  /** Frame bits per second at the same point (bytes × 8, as testpmd's Rx-bps). */
  bps: number;
  /** Frames sent but never received, after both sides stopped (two-way: beyond those injected). */
  lost: number;
  /**
   * CPU nanoseconds per frame received, over the window, of the receiver and the sender process
   * (two-way: each side's own received frames, which it also forwards). Unlike the rate, this
   * hardly moves when other jobs take CPU time from the benchmark: it is the cost of a frame.
   */
  cpuNsPerFrame?: { rx: number; tx: number };
  error?: string;
}

export interface TimingOptions {
  warmupMs: number;
  windowMs: number;
  /** devargs added to testpmd-lite's vdev, e.g. `rx-mode=polling`. */
  nodeDevargs: string;
  /** Extra node flags for testpmd-lite, e.g. `--cpu-prof`. */
  nodeArgs?: readonly string[];
}

/**
 * Bursts of 32 injected by `start tx_first` in two-way runs (default 8: 256 frames in flight);
 * `BENCH_TX_FIRST` changes it, to see whether a pair is bound by round trips or by per-frame cost.
 */
const TX_FIRST_BURSTS = Number(process.env.BENCH_TX_FIRST ?? 8);

let sockets = 0;

/**
 * One trial: the receiver (server) starts first on core 0, the sender (client) on core 1; the
 * rate is the RX-packets delta over a timed window after warm-up, read with `show port stats`.
 */
export async function runTrial(s: Scenario, timing: TimingOptions, track: Set<PmdProcess>): Promise<Trial> {
  const socket = `/tmp/memif-bench-${process.pid}-${++sockets}.sock`;
  rmSync(socket, { force: true });
  const common = { socket, txpkts: s.size } as const;
  const devargs = (impl: Impl): string | undefined => (impl === 'node' ? timing.nodeDevargs : undefined);
  const rx = new PmdProcess({
    ...common,
    impl: s.to,
    role: 'server',
    core: 0,
    devargs: devargs(s.to),
    nodeArgs: timing.nodeArgs,
    forwardMode: receiverMode(s.pattern, s.to),
  });
  let tx: PmdProcess | undefined;
  track.add(rx);
  try {
    // A DPDK client tries to connect once at start: the server must listen first.
    await rx.ready();
    tx = new PmdProcess({
      ...common,
      impl: s.from,
      role: 'client',
      core: 1,
      devargs: devargs(s.from),
      nodeArgs: timing.nodeArgs,
      forwardMode: s.pattern === 'two-way' ? 'io' : 'txonly',
    });
    track.add(tx);
    await tx.ready();
    await Promise.all([rx.linkUp(20_000), tx.linkUp(20_000)]);
    await rx.startForwarding();
    await tx.startForwarding(s.pattern === 'two-way' ? `start tx_first ${TX_FIRST_BURSTS}` : 'start');
    await sleep(timing.warmupMs);
    const sender = tx;
    const readRx = async (): Promise<{ t: bigint; a: PortStats; b: PortStats; cpuA: number; cpuB: number }> => {
      const [a, b] = await Promise.all([rx.portStats(), sender.portStats()]);
      return { t: process.hrtime.bigint(), a, b, cpuA: rx.cpuSeconds(), cpuB: sender.cpuSeconds() };
    };
    const first = await readRx();
    await sleep(timing.windowMs);
    const second = await readRx();
    const seconds = Number(second.t - first.t) / 1e9;
    const rxFrames = second.a.rxPackets - first.a.rxPackets;
    const txFrames = second.b.rxPackets - first.b.rxPackets;
    const cpuNsPerFrame = {
      rx: ((second.cpuA - first.cpuA) * 1e9) / rxFrames,
      tx: s.pattern === 'two-way' ? ((second.cpuB - first.cpuB) * 1e9) / txFrames : Number.NaN,
    };
    let packets = second.a.rxPackets - first.a.rxPackets;
    let bytes = second.a.rxBytes - first.a.rxBytes;
    if (s.pattern === 'two-way') {
      packets += second.b.rxPackets - first.b.rxPackets;
      bytes += second.b.rxBytes - first.b.rxBytes;
    }
    // Counting: the sender stops first, the receiver drains, then both are compared.
    await tx.stopForwarding();
    if (s.pattern === 'two-way') await sleep(100);
    await sleep(300);
    await rx.stopForwarding();
    if (s.pattern === 'two-way') await sleep(100);
    const [ra, tb] = await Promise.all([rx.portStats(), tx.portStats()]);
    const lost =
      s.pattern !== 'two-way'
        ? tb.txPackets - ra.rxPackets
        : Math.max(0, tb.txPackets + ra.txPackets - (ra.rxPackets + tb.rxPackets) - 2 * TX_FIRST_BURSTS * 32);
    return { pps: packets / seconds, bps: (bytes * 8) / seconds, lost, cpuNsPerFrame };
  } catch (error) {
    return { pps: Number.NaN, bps: Number.NaN, lost: 0, error: (error as Error).message.split('\n')[0] };
  } finally {
    await Promise.all([tx?.stop(), rx.stop()]);
    track.delete(rx);
    if (tx) track.delete(tx);
    rmSync(socket, { force: true });
  }
}

export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * The median over rounds of `values[i] / references[i]`: each round's figure against the
 * reference of the same round. This VM switches between host states minutes apart (the same
 * binaries run 2.5x faster in one than in the other), so a ratio of the two medians can set a
 * figure from one state against a reference from the other; a same-round ratio cannot.
 */
export function medianRoundRatio(values: readonly number[], references: readonly number[]): number {
  return median(values.map((value, i) => value / (references[i] ?? Number.NaN)));
}
