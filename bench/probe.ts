/** Developer probe: one scenario, e.g. `tsx bench/probe.ts one-way 64 node node [--cpu-prof]`. */

import type { Impl, PmdProcess } from './lib/pmd-process.ts';
import { type Pattern, runTrial } from './lib/throughput.ts';

const [pattern = 'one-way', size = '64', from = 'node', to = 'node', ...nodeArgs] = process.argv.slice(2);
const running = new Set<PmdProcess>();
const trial = await runTrial(
  { pattern: pattern as Pattern, size: Number(size), from: from as Impl, to: to as Impl },
  {
    warmupMs: 500,
    windowMs: Number(process.env.BENCH_WINDOW_MS ?? 2000),
    nodeDevargs: process.env.BENCH_NODE_DEVARGS ?? 'rx-mode=polling',
    nodeArgs,
  },
  running,
);
const cpu = trial.cpuNsPerFrame;
const perFrame =
  cpu === undefined ? '' : `CPU ns/frame: receiver ${cpu.rx.toFixed(0)}${pattern === 'two-way' ? `, sender ${cpu.tx.toFixed(0)}` : ''}`;
console.log(
  pattern,
  size,
  from,
  '->',
  to,
  (trial.pps / 1e6).toFixed(3),
  'Mpps',
  (trial.bps / 1e9).toFixed(2),
  'Gbit/s lost',
  trial.lost,
  perFrame,
  trial.error ?? '',
);
