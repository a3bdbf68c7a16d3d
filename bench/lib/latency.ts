import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { PmdProcess, ROOT, sleep } from './pmd-process.ts';

export interface LatencyResult {
  name: string;
  p50Us: number;
  p99Us: number;
  samples: number;
  note?: string;
}

const PEER = `${ROOT}bench/lib/pingpong-peer.ts`;
const MEMIF_CLI = `${ROOT}packages/cli/bin/memif`;
const COUNT = Number(process.env.BENCH_RTT_COUNT ?? 20000);
const WARM_UP = Number(process.env.BENCH_RTT_WARMUP ?? 5000);

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function collect(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.once('exit', () => resolve(out));
  });
}

/** Two Node processes on different cores, one 64-byte frame bounced `COUNT` times after `WARM_UP` untimed ones. */
async function nodePingPong(
  rxMode: 'interrupt' | 'adaptive' | 'polling',
  api: 'burst' | 'send+frames',
  children: Set<ChildProcess>,
): Promise<LatencyResult> {
  const socket = `/tmp/memif-bench-rtt-${process.pid}-${rxMode}.sock`;
  const name = api === 'burst' ? `Node <-> Node (@memif/memif), ${rxMode}` : `Node <-> Node, \`await send()\` + \`frames()\`, ${rxMode}`;
  rmSync(socket, { force: true });
  const spawnPeer = (role: string, core: number): ChildProcess => {
    const child = spawn(
      'taskset',
      ['-c', String(core), process.execPath, '--import', 'tsx', PEER, role, socket, rxMode, String(COUNT), '1', String(WARM_UP)],
      {
        cwd: ROOT,
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    children.add(child);
    child.once('exit', () => children.delete(child));
    return child;
  };
  const echo = spawnPeer('echo', 0);
  const echoOut = collect(echo);
  await sleep(700);
  const ping = spawnPeer(api === 'burst' ? 'ping' : 'ping-api', 1);
  const timeout = setTimeout(() => ping.kill('SIGKILL'), 60_000);
  const out = await collect(ping);
  clearTimeout(timeout);
  echo.stdin?.end();
  const echoTimer = setTimeout(() => echo.kill('SIGKILL'), 3000);
  await echoOut;
  clearTimeout(echoTimer);
  rmSync(socket, { force: true });
  const line = out.split('\n').find((l) => l.startsWith('{'));
  if (line === undefined) return { name, p50Us: Number.NaN, p99Us: Number.NaN, samples: 0, note: out.slice(0, 200) };
  const samples = (JSON.parse(line) as { samples: number[] }).samples.sort((a, b) => a - b);
  return {
    name,
    p50Us: percentile(samples, 50) / 1000,
    p99Us: percentile(samples, 99) / 1000,
    samples: samples.length,
  };
}

/** `memif ping` (client) against dpdk-testpmd icmpecho (server); parses ping's rtt line. */
async function memifPingTestpmd(running: Set<PmdProcess>, children: Set<ChildProcess>): Promise<LatencyResult> {
  const socket = `/tmp/memif-bench-icmp-${process.pid}.sock`;
  rmSync(socket, { force: true });
  const testpmd = new PmdProcess({ impl: 'dpdk', role: 'server', socket, core: 0, forwardMode: 'icmpecho', txpkts: 64 });
  running.add(testpmd);
  try {
    await testpmd.ready();
    await testpmd.startForwarding();
    const count = 200;
    const child = spawn(
      'taskset',
      [
        '-c',
        '1',
        process.execPath,
        MEMIF_CLI,
        'ping',
        '--vdev',
        `net_memif0,role=client,id=0,socket=${socket},socket-abstract=no`,
        '--ip',
        '192.168.1.1/24',
        '-c',
        String(count),
        '-i',
        '0.005',
        '192.168.1.2',
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.add(child);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const out = await collect(child);
    clearTimeout(timer);
    children.delete(child);
    const times = [...out.matchAll(/time=([\d.]+) ms/g)].map((m) => Number(m[1]) * 1000).sort((a, b) => a - b);
    const rtt = out.match(/rtt min\/avg\/max\/mdev = ([\d.]+)\/([\d.]+)\/([\d.]+)\/([\d.]+) ms/);
    return {
      name: 'memif ping -> dpdk-testpmd icmpecho',
      p50Us: percentile(times, 50),
      p99Us: percentile(times, 99),
      samples: times.length,
      note: rtt ? `rtt min/avg/max/mdev = ${rtt[1]}/${rtt[2]}/${rtt[3]}/${rtt[4]} ms` : out.slice(-200).replace(/\n/g, ' '),
    };
  } finally {
    await testpmd.stop();
    running.delete(testpmd);
    rmSync(socket, { force: true });
  }
}

export async function latencyBench(running: Set<PmdProcess>): Promise<LatencyResult[]> {
  const children = new Set<ChildProcess>();
  const kill = (): void => {
    for (const child of children) child.kill('SIGKILL');
  };
  process.on('exit', kill);
  try {
    const results: LatencyResult[] = [];
    for (const api of ['burst', 'send+frames'] as const) {
      for (const rxMode of ['interrupt', 'adaptive', 'polling'] as const) results.push(await nodePingPong(rxMode, api, children));
    }
    results.push(await memifPingTestpmd(running, children));
    return results;
  } finally {
    kill();
    process.off('exit', kill);
  }
}
