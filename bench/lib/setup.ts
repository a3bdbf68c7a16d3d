import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { ROOT, sleep } from './pmd-process.ts';

export interface SetupResult {
  connectP50Ms: number;
  connectMaxMs: number;
  slaveRssKiB: number;
  regionPerPairKiB: number;
  slaveHeapKiB: number;
  pairs: number;
}

/** Runs bench/lib/inprocess-child.ts `what` in a fresh process and returns its JSON line. */
export async function runChild<T>(what: 'setup' | 'alloc'): Promise<T> {
  // The masters: an echo process (one listener, interfaces id 0..100) on core 0; we run on core 1.
  const prefix = `/tmp/memif-bench-${what}-${process.pid}`;
  rmSync(`${prefix}.sock`, { force: true });
  const masters: ChildProcess = spawn(
    'taskset',
    [
      '-c',
      '0',
      process.execPath,
      '--import',
      'tsx',
      `${ROOT}bench/lib/pingpong-peer.ts`,
      'echo',
      `${prefix}.sock`,
      what === 'alloc' ? 'polling' : 'interrupt',
      '0',
      what === 'alloc' ? '1' : '16',
    ],
    {
      cwd: ROOT,
      stdio: ['pipe', 'ignore', 'ignore'],
    },
  );
  await sleep(800);
  try {
    return await runMeasured<T>(what, prefix);
  } finally {
    masters.stdin?.end();
    const timer = setTimeout(() => masters.kill('SIGKILL'), 3000);
    await new Promise((resolve) => (masters.exitCode === null ? masters.once('exit', resolve) : resolve(null)));
    clearTimeout(timer);
    rmSync(`${prefix}.sock`, { force: true });
  }
}

function runMeasured<T>(what: 'setup' | 'alloc', prefix: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'taskset',
      [
        '-c',
        '1',
        process.execPath,
        '--expose-gc',
        ...(what === 'alloc' ? ['--max-semi-space-size=1'] : []),
        '--import',
        'tsx',
        `${ROOT}bench/lib/inprocess-child.ts`,
        what,
        prefix,
      ],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('exit', () => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('{') || l.startsWith('['));
      if (line === undefined) reject(new Error(`${what} child failed: ${out.slice(-500)}`));
      else resolve(JSON.parse(line) as T);
    });
  });
}

/** Connection set-up time and memory per connected interface pair (one child process). */
export function setupBench(): Promise<SetupResult> {
  return runChild<SetupResult>('setup');
}
