// `pnpm soak`: traffic both ways between a memif interface in this process and one in a child
// process, while the child is killed with SIGKILL at random moments and started again, and this
// side switches role (master / slave) now and then. At the end: fds, memfd mappings and heap
// must be back at their baseline, and every frame counted: sent = received + lost-with-reason.
//
//   node --expose-gc --import tsx scripts/soak.ts --minutes 10
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type MemifRole, ReceiveBatch } from '../packages/memif/src/index.ts';
import { SequencedTraffic } from '../tools/test-kit/src/sequenced-traffic.ts';
import { soakInterface } from './soak-interface.ts';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, seed: { type: 'string', default: '1' } } });
const durationMs = Number(values.minutes) * 60_000;
if (!(durationMs > 0)) throw new Error('--minutes must be a positive number');
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

let seed = Number(values.seed) >>> 0 || 1;
const random = (): number => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 0x1_0000_0000;
};

const work = join(tmpdir(), `memif-soak-${process.pid}`);
rmSync(work, { recursive: true, force: true });
await import('node:fs').then((fs) => fs.mkdirSync(work));
const socket = join(work, 'soak.sock');
const children = new Set<ChildProcess>();
// Whatever ends the soak, leave no child and no socket file behind.
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

function resources(): { fds: number; maps: number; heapMB: number } {
  gc?.();
  gc?.();
  const maps = readFileSync('/proc/self/maps', 'utf8')
    .split('\n')
    .filter((l) => l.includes('/memfd:')).length;
  return { fds: readdirSync('/proc/self/fd').length, maps, heapMB: process.memoryUsage().heapUsed / 2 ** 20 };
}

const totals = {
  parentSent: 0,
  parentReceived: 0,
  parentOutOfOrder: 0,
  parentTxLost: 0,
  parentRxLost: 0,
  parentRxDropped: 0,
  childSent: 0,
  childReceived: 0,
  childOutOfOrder: 0,
  childRxDropped: 0,
  kills: 0,
  roleSwitches: 0,
  maxNoticeMs: 0,
  connections: 0,
};

let nextParentSeq = 0;
let nextChildSeq = 1e12;
let counterFiles = 0;

// A first interface and child, closed again: the baseline is taken with every module loaded.
const baseline = await (async () => {
  const warm = await epoch('master', 1500, false);
  void warm;
  return resources();
})();

/** Runs this side in `role` for `ms`, killing and restarting the child at random. */
async function epoch(role: MemifRole, ms: number, count = true): Promise<void> {
  const iface = soakInterface(role, socket);
  iface.on('error', () => {});
  const end = Date.now() + ms;
  const traffic = new SequencedTraffic(iface, { firstSeq: nextParentSeq, batch: new ReceiveBatch(64) });
  traffic.start();
  while (Date.now() < end) {
    const child = startChild(role === 'master' ? 'slave' : 'master');
    await until(() => iface.connected, 10_000, 'connect');
    totals.connections += count ? 1 : 0;
    await sleep(Math.min(500 + random() * 3000, Math.max(0, end - Date.now())));
    const killedAt = Date.now();
    const disconnected = new Promise<void>((resolve) => iface.once('disconnected', () => resolve()));
    child.process.kill('SIGKILL');
    await disconnected;
    if (count) {
      totals.kills++;
      totals.maxNoticeMs = Math.max(totals.maxNoticeMs, Date.now() - killedAt);
    }
    await new Promise((resolve) =>
      child.process.exitCode !== null || child.process.signalCode !== null ? resolve(null) : child.process.once('exit', resolve),
    );
    const bytes = readFileSync(child.counters);
    const c = [0, 1, 2, 3].map((i) => (bytes.byteLength >= (i + 1) * 8 ? bytes.readDoubleLE(i * 8) : 0));
    rmSync(child.counters, { force: true });
    if (count) {
      totals.childSent += c[0] ?? 0;
      totals.childReceived += c[1] ?? 0;
      totals.childOutOfOrder += c[2] ?? 0;
      totals.childRxDropped += c[3] ?? 0;
    }
  }
  traffic.stop();
  nextParentSeq += traffic.sent;
  const d = iface.details();
  if (count) {
    totals.parentSent += traffic.sent;
    totals.parentReceived += traffic.received;
    totals.parentOutOfOrder += traffic.outOfOrder + traffic.corrupt;
    totals.parentTxLost += d.tx[0]?.lostOnDisconnect ?? 0;
    totals.parentRxLost += d.rx[0]?.lostOnDisconnect ?? 0;
    totals.parentRxDropped += d.rx[0]?.dropped ?? 0;
  }
  await iface.close();
  if (role === 'master' && existsSync(socket)) throw new Error('the socket file outlived its master');
}

function startChild(role: MemifRole): { process: ChildProcess; counters: string } {
  const counters = join(work, `child-${++counterFiles}.counters`);
  const child = fork(new URL('./soak-peer.ts', import.meta.url).pathname, [role, socket, counters, String(nextChildSeq)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  nextChildSeq += 1e9;
  children.add(child);
  child.once('exit', () => children.delete(child));
  return { process: child, counters };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(predicate: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`soak: timed out waiting to ${what}`);
    await sleep(5);
  }
}

const started = Date.now();
let role: MemifRole = 'master';
while (Date.now() - started < durationMs) {
  await epoch(role, Math.min(15_000 + random() * 30_000, durationMs - (Date.now() - started)));
  role = role === 'master' ? 'slave' : 'master';
  totals.roleSwitches++;
}
const final = resources();
rmSync(work, { recursive: true, force: true });

// Parent → child: what we sent was received by a child, or still in our tx ring when the child
// died. Child → parent: what a child sent we received, or it was still in our rx ring.
const parentToChild = totals.parentSent - (totals.childReceived + totals.childRxDropped + totals.parentTxLost);
const childToParent = totals.childSent - (totals.parentReceived + totals.parentRxDropped + totals.parentRxLost);
const report = {
  minutes: Number(values.minutes),
  ...totals,
  unaccounted: { parentToChild, childToParent },
  baseline: { fds: baseline.fds, maps: baseline.maps, heapMB: +baseline.heapMB.toFixed(1) },
  final: { fds: final.fds, maps: final.maps, heapMB: +final.heapMB.toFixed(1) },
};
console.log(JSON.stringify(report, null, 2));
const ok =
  final.fds <= baseline.fds &&
  final.maps <= baseline.maps &&
  final.heapMB - baseline.heapMB < 8 &&
  totals.parentOutOfOrder === 0 &&
  totals.childOutOfOrder === 0 &&
  // A SIGKILL can land between a ring operation and the child's count of it (a few frames per kill).
  Math.abs(parentToChild) <= totals.kills * 16 &&
  Math.abs(childToParent) <= totals.kills * 16;
console.log(ok ? 'soak: OK' : 'soak: FAILED');
process.exit(ok ? 0 : 1);
