import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { RX_COPY_REFERENCE } from './api-methods.ts';
import { PmdProcess, ROOT } from './pmd-process.ts';
import { median, medianRoundRatio } from './throughput.ts';

export interface ApiRow {
  direction: 'rx' | 'tx';
  size: number;
  method: string;
  /** Frames per second, median of the rounds. */
  pps: number;
  /** Against the burst API (rxBurst or txBurst loop) of the same direction and size: the median of same-round ratios. */
  ratio: number;
  /** Receive only: against the burst loop that also copies every frame out (equal work), same run. */
  ratioToCopyingBurst?: number;
  rounds: number[];
}

export interface ApiBenchOptions {
  windowMs: number;
  warmupMs: number;
  rounds: number;
  /** Node flags for the measuring child, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/p']. */
  nodeArgs?: readonly string[];
}

/**
 * The ergonomic API against the burst API, side by side: dpdk-testpmd (server, core 0) floods us
 * (txonly: our rx) or drains us (rxonly: our tx) while bench/lib/api-child.ts (slave, core 1)
 * runs every method in turn. One testpmd per direction and size.
 */
export async function apiBench(sizes: readonly number[], options: ApiBenchOptions, running: Set<PmdProcess>): Promise<ApiRow[]> {
  const rows: ApiRow[] = [];
  for (const direction of ['rx', 'tx'] as const) {
    for (const size of sizes) {
      const socket = `/tmp/memif-bench-api-${process.pid}-${direction}-${size}.sock`;
      rmSync(socket, { force: true });
      const pmd = new PmdProcess({
        impl: 'dpdk',
        role: 'server',
        socket,
        core: 0,
        forwardMode: direction === 'rx' ? 'txonly' : 'rxonly',
        txpkts: size,
      });
      running.add(pmd);
      try {
        await pmd.ready();
        const measured = runChild(direction, size, socket, options);
        await pmd.linkUp(20_000);
        await pmd.startForwarding();
        const results = await measured;
        const reference = Object.values(results)[0] ?? [];
        const copyReference = results[RX_COPY_REFERENCE];
        for (const [method, list] of Object.entries(results)) {
          const pps = median(list);
          const row: ApiRow = { direction, size, method, pps, ratio: medianRoundRatio(list, reference), rounds: list };
          if (copyReference !== undefined) row.ratioToCopyingBurst = medianRoundRatio(list, copyReference);
          rows.push(row);
          process.stderr.write(`  api ${direction} ${size}B ${method}: ${(pps / 1e6).toFixed(3)} Mpps (${row.ratio.toFixed(2)}x)\n`);
        }
      } finally {
        await pmd.stop();
        running.delete(pmd);
        rmSync(socket, { force: true });
      }
    }
  }
  return rows;
}

function runChild(direction: 'rx' | 'tx', size: number, socket: string, options: ApiBenchOptions): Promise<Record<string, number[]>> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'taskset',
      [
        '-c',
        '1',
        process.execPath,
        ...(options.nodeArgs ?? []),
        '--import',
        'tsx',
        `${ROOT}bench/lib/api-child.ts`,
        direction,
        String(size),
        socket,
        String(options.windowMs),
        String(options.warmupMs),
        String(options.rounds),
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.once('exit', () => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line === undefined) reject(new Error(`api child (${direction} ${size} B) failed: ${out.slice(-500)}`));
      else resolve(JSON.parse(line) as Record<string, number[]>);
    });
  });
}
