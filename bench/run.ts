/**
 * `pnpm bench`: memif throughput, latency, set-up time and memory of the Node implementation,
 * measured against dpdk-testpmd -> dpdk-testpmd on this machine in the same run. Prints one table,
 * writes bench/results/bench-results.json and bench/results/bench-results.svg.
 *
 * Environment: BENCH_TRIALS (default 5), BENCH_WINDOW_MS (1000), BENCH_WARMUP_MS (500),
 * BENCH_ONLY=throughput,api,latency,setup,alloc (default all), BENCH_NODE_DEVARGS (default
 * `rx-mode=polling`, as DPDK polls), BENCH_API_PROFILE=<dir> (CPU profiles of the API section's
 * Node process, `node --cpu-prof`). `BENCH_ONLY=api` runs the API section alone.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { type AllocationResult, allocationCheck } from './lib/allocation.ts';
import { type ApiRow, apiBench } from './lib/api-bench.ts';
import { type LatencyResult, latencyBench } from './lib/latency.ts';
import { type Impl, type PmdProcess, ROOT } from './lib/pmd-process.ts';
import { workCell } from './lib/receiver-work.ts';
import { type SetupResult, setupBench } from './lib/setup.ts';
import { renderChart } from './lib/svg-chart.ts';
import { median, medianRoundRatio, type Pattern, runTrial, type Scenario, type Trial } from './lib/throughput.ts';

const TRIALS = Number(process.env.BENCH_TRIALS ?? 5);
const timing = {
  warmupMs: Number(process.env.BENCH_WARMUP_MS ?? 500),
  windowMs: Number(process.env.BENCH_WINDOW_MS ?? 1000),
  nodeDevargs: process.env.BENCH_NODE_DEVARGS ?? 'rx-mode=polling',
};
const only = new Set((process.env.BENCH_ONLY ?? 'throughput,api,latency,setup,alloc').split(','));
const PAIRS: ReadonlyArray<readonly [Impl, Impl]> = [
  ['dpdk', 'dpdk'],
  ['node', 'node'],
  ['node', 'dpdk'],
  ['dpdk', 'node'],
];
const PATTERNS: readonly Pattern[] = ['one-way', 'one-way-copy', 'two-way'];
const SIZES = (process.env.BENCH_SIZES ?? '64,1500').split(',').map(Number);
const name = (impl: Impl): string => (impl === 'dpdk' ? 'dpdk-testpmd' : 'testpmd-lite');

export interface Row {
  pattern: Pattern;
  size: number;
  from: string;
  to: string;
  /** What the receivers do with each frame, and whether that equals the reference's work. */
  work: string;
  trials: Trial[];
  pps: number;
  gbps: number;
  ratio: number;
  lost: number;
  errors: string[];
}

const running = new Set<PmdProcess>();
const cleanup = (): void => {
  for (const p of running) p.kill();
};
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    cleanup();
    process.exit(130);
  });
}

async function throughput(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const pattern of PATTERNS) {
    for (const size of SIZES) {
      const trials = PAIRS.map(() => [] as Trial[]);
      // Alternation: every pair once per round, so drifting machine load hits them all alike.
      for (let round = 0; round < TRIALS; round++) {
        for (const [k, [from, to]] of PAIRS.entries()) {
          const trial = await runTrial({ pattern, size, from, to } satisfies Scenario, timing, running);
          trials[k]?.push(trial);
          process.stderr.write(
            `  ${pattern} ${size}B ${name(from)} -> ${name(to)} #${round + 1}: ${(trial.pps / 1e6).toFixed(3)} Mpps lost ${trial.lost}${trial.error ? ` ERROR ${trial.error}` : ''}\n`,
          );
        }
      }
      const reference = trials[0]?.map((t) => t.pps) ?? [];
      for (const [k, [from, to]] of PAIRS.entries()) {
        const list = trials[k] ?? [];
        const pps = median(list.map((t) => t.pps));
        rows.push({
          pattern,
          size,
          from: name(from),
          to: name(to),
          work: workCell(pattern, from, to),
          trials: list,
          pps,
          gbps: median(list.map((t) => t.bps)) / 1e9,
          ratio: medianRoundRatio(
            list.map((t) => t.pps),
            reference,
          ),
          lost: list.reduce((sum, t) => sum + Math.max(0, t.lost), 0),
          errors: list.flatMap((t) => (t.error ? [t.error] : [])),
        });
      }
    }
  }
  return rows;
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function printTable(rows: Row[]): string {
  const lines = [
    `| pattern | size | sender -> receiver | work per frame | Mpps | Gbit/s | ratio | lost | trials (Mpps) |`,
    `|---|---:|---|---|---:|---:|---:|---:|---|`,
  ];
  for (const r of rows) {
    const lost = r.errors.length > 0 ? `ERR ${r.errors.length}` : r.lost > 0 ? `**${r.lost} LOST**` : '0';
    lines.push(
      `| ${r.pattern} | ${r.size} | ${pad(`${r.from} -> ${r.to}`, 28)} | ${pad(r.work, 26)} | ${pad((r.pps / 1e6).toFixed(3), 6, true)} | ${pad(r.gbps.toFixed(2), 6, true)} | ${pad(`${r.ratio.toFixed(2)}x`, 6, true)} | ${lost} | ${r.trials.map((t) => (t.pps / 1e6).toFixed(2)).join(' ')} |`,
    );
  }
  lines.push(
    '',
    "work per frame: what the receiving side(s) do with each frame's bytes. copy = copied once out of shared memory",
    "(DPDK's memif rx into an mbuf; testpmd-lite lite-rxcopy into mbuf-sized buffers); none = testpmd-lite rxonly, which",
    'reads no payload; two-way (sender side / receiver side): DPDK io copies twice (rx into an mbuf, mbuf into its tx',
    'ring), testpmd-lite io once (ring to ring). "equal" = the same work as the dpdk-testpmd -> dpdk-testpmd row.',
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  const started = Date.now();
  const results: {
    machine: { cpus: number; node: string; date: string };
    timing: typeof timing & { trials: number };
    throughput?: Row[];
    api?: ApiRow[];
    latency?: LatencyResult[];
    setup?: SetupResult;
    allocation?: AllocationResult[];
  } = {
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version, date: new Date().toISOString() },
    timing: { ...timing, trials: TRIALS },
  };
  let text = '';
  if (only.has('throughput')) {
    process.stderr.write('throughput (one forwarding core per process, medians of alternated trials)\n');
    results.throughput = await throughput();
    text += `${printTable(results.throughput)}\n\n`;
  }
  if (only.has('api')) {
    process.stderr.write('API: the ergonomic API against the burst API, Node slave <-> dpdk-testpmd\n');
    const profileDir = process.env.BENCH_API_PROFILE;
    results.api = await apiBench(
      SIZES,
      {
        windowMs: timing.windowMs,
        warmupMs: timing.warmupMs,
        rounds: TRIALS,
        ...(profileDir === undefined ? {} : { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] }),
      },
      running,
    );
    text +=
      '| API (Node slave, dpdk-testpmd peer) | size | Mpps | ratio to burst API | ratio to burst API + copy | rounds (Mpps) |\n|---|---:|---:|---:|---:|---|\n';
    for (const r of results.api) {
      const what = `${r.direction === 'rx' ? 'receive (testpmd txonly)' : 'send (testpmd rxonly)'}: ${r.method}`;
      // txBurst copies every frame into the ring as send() does: its ratio is equal work already.
      const toCopy = r.ratioToCopyingBurst === undefined ? 'same' : `${r.ratioToCopyingBurst.toFixed(2)}x`;
      text += `| ${what} | ${r.size} | ${(r.pps / 1e6).toFixed(3)} | ${r.ratio.toFixed(2)}x | ${toCopy} | ${r.rounds.map((p) => (p / 1e6).toFixed(2)).join(' ')} |\n`;
    }
    text += '\n';
  }
  if (only.has('latency')) {
    process.stderr.write('latency\n');
    results.latency = await latencyBench(running);
    text += '| round trip (one 64 B frame) | p50 µs | p99 µs | samples |\n|---|---:|---:|---:|\n';
    for (const l of results.latency) {
      text += `| ${l.name} | ${l.p50Us.toFixed(1)} | ${l.p99Us.toFixed(1)} | ${l.samples}${l.note ? ` (${l.note})` : ''} |\n`;
    }
    text += '\n';
  }
  if (only.has('setup')) {
    process.stderr.write('set-up and memory\n');
    results.setup = await setupBench();
    const s = results.setup;
    text += `| set-up and memory | value |\n|---|---:|\n`;
    text += `| slave start -> connected, p50 (ms) | ${s.connectP50Ms.toFixed(2)} |\n`;
    text += `| slave start -> connected, max (ms) | ${s.connectMaxMs.toFixed(2)} |\n`;
    text += `| RSS per connected interface, slave process (KiB) | ${s.slaveRssKiB.toFixed(0)} |\n`;
    text += `| JS heap per connected interface, slave process (KiB) | ${s.slaveHeapKiB.toFixed(0)} |\n`;
    text += `| shared region bytes per pair (KiB, mapped by both sides) | ${s.regionPerPairKiB.toFixed(0)} |\n\n`;
  }
  if (only.has('alloc')) {
    process.stderr.write('allocation on the burst path\n');
    results.allocation = await allocationCheck();
    text +=
      '| burst path allocation (1 MiB young generation) | frames | bytes/frame, upper bound | GCs (scavenge/mark) | verdict |\n|---|---:|---:|---:|---|\n';
    for (const a of results.allocation) {
      text += `| ${a.name} | ${a.frames} | ${a.bytesPerFrame.toFixed(3)} | ${a.scavenges}/${a.markSweeps} | ${a.ok ? 'no per-frame allocation' : 'ALLOCATES'} |\n`;
    }
    text += '\n';
  }
  text += `_${results.machine.cpus} cores, Node ${results.machine.node}, ${TRIALS} trials × ${timing.windowMs} ms windows after ${timing.warmupMs} ms warm-up; total ${((Date.now() - started) / 1000).toFixed(0)} s_\n`;
  process.stdout.write(`\n${text}`);
  const dir = `${ROOT}bench/results`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/bench-results.json`, `${JSON.stringify(results, null, 2)}\n`);
  if (results.throughput) writeFileSync(`${dir}/bench-results.svg`, renderChart(results.throughput));
  writeFileSync(`${dir}/bench-results.md`, text);
  process.stderr.write(`wrote ${dir}/bench-results.{json,svg,md}\n`);
}

await main();
