/**
 * In-process measurements, run as a child with `--expose-gc`:
 *   node --expose-gc --import tsx bench/lib/inprocess-child.ts <setup|alloc> <socket-prefix>
 * setup: connects pairs (master + slave in this process) one after the other, timing slave
 * creation -> 'connected', and reports RSS, JS heap and region bytes per connected pair.
 * alloc: runs bursts through a connected pair (txonly: txBurst + rxBurst/rxRelease; io: the
 * master forwards every burst back with txBatch) and reports heap growth per frame and GC counts.
 * Prints one JSON line.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { createInterface, type MemifInterface, ReceiveBatch } from '../../packages/memif/dist/index.js';

const [what = 'setup', prefix = `/tmp/memif-bench-inproc-${process.pid}`] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

function connected(iface: MemifInterface): Promise<void> {
  return new Promise((resolve) => (iface.connected ? resolve() : iface.once('connected', () => resolve())));
}

/** The master side lives in another process (bench/lib/pingpong-peer.ts echo): one listener per path per process. */
async function slave(
  socket: string,
  id: number,
  rxMode: 'interrupt' | 'polling' = 'interrupt',
): Promise<{ slave: MemifInterface; ms: number }> {
  const t0 = process.hrtime.bigint();
  const iface = createInterface({ role: 'slave', id, socket, socketAbstract: false, rxMode, reconnectInterval: 10 });
  await connected(iface);
  return { slave: iface, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}

async function setup(): Promise<void> {
  const PAIRS = 16;
  // One warm-up pair: module code, the addon and first-use caches are not per-interface costs.
  const socket = `${prefix}.sock`;
  const warm = await slave(socket, 100);
  gc();
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc();
  const rss0 = process.memoryUsage().rss;
  const heap0 = process.memoryUsage().heapUsed;
  const times: number[] = [];
  const pairs: MemifInterface[] = [];
  let regionBytes = 0;
  for (let k = 0; k < PAIRS; k++) {
    const p = await slave(socket, k);
    times.push(p.ms);
    pairs.push(p.slave);
    for (const r of p.slave.details().regions) regionBytes += r.size;
  }
  gc();
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc();
  const rss1 = process.memoryUsage().rss;
  const heap1 = process.memoryUsage().heapUsed;
  times.sort((a, b) => a - b);
  process.stdout.write(
    `${JSON.stringify({
      connectP50Ms: times[times.length >> 1],
      connectMaxMs: times[times.length - 1],
      slaveRssKiB: (rss1 - rss0) / PAIRS / 1024,
      slaveHeapKiB: (heap1 - heap0) / PAIRS / 1024,
      regionPerPairKiB: regionBytes / PAIRS / 1024,
      pairs: PAIRS,
    })}\n`,
  );
  await Promise.all([...pairs, warm.slave].map((i) => i.close()));
}

async function alloc(): Promise<void> {
  // Polling rx-mode: no eventfd signals; the echo peer (another process) bounces every frame.
  const { slave: iface } = await slave(`${prefix}.sock`, 0, 'polling');
  const results: unknown[] = [];
  for (const size of [64, 1500]) {
    for (const name of ['txonly', 'io'] as const) {
      const frames = Array.from({ length: 32 }, () => new Uint8Array(size).fill(7));
      const batch = new ReceiveBatch(32);
      let moved = 0;
      const run = (ms: number): void => {
        const end = performance.now() + ms;
        if (name === 'io') iface.txBurst(0, frames, 32);
        while (performance.now() < end) {
          for (let b = 0; b < 100; b++) {
            if (name === 'txonly') moved += iface.txBurst(0, frames, 32);
            const got = iface.rxBurst(0, batch);
            if (name === 'io') moved += iface.txBatch(0, batch, got);
            iface.rxRelease(0);
          }
        }
      };
      run(300); // JIT warm-up
      await new Promise((resolve) => setTimeout(resolve, 20));
      gc();
      let scavenges = 0;
      let markSweeps = 0;
      const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0;
          if (kind === 1) scavenges++;
          else markSweeps++;
        }
      });
      observer.observe({ entryTypes: ['gc'] });
      const before = process.memoryUsage().heapUsed;
      moved = 0;
      run(1500);
      const after = process.memoryUsage().heapUsed;
      await new Promise((resolve) => setTimeout(resolve, 20));
      observer.disconnect();
      results.push({
        name: `${name} ${size} B: ${name === 'txonly' ? 'txBurst + rxBurst/rxRelease' : 'rxBurst + txBatch + rxRelease'}`,
        frames: moved,
        // Upper bound: heap growth, or every scavenge of the 1 MiB young generation charged to us.
        bytesPerFrame: Math.max(Math.max(0, after - before), scavenges * 1024 * 1024) / Math.max(1, moved),
        scavenges,
        markSweeps,
        // The smallest V8 heap object (a HeapNumber) takes 12-16 bytes: one allocation per frame
        // would show as >= 12 bytes/frame (and ~10 scavenges per million frames).
        ok: Math.max(Math.max(0, after - before), scavenges * 1024 * 1024) / Math.max(1, moved) < 8,
      });
      // Let the echo drain before the next case.
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (let i = 0; i < 100; i++) {
        iface.rxBurst(0, batch);
        iface.rxRelease(0);
      }
    }
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
  await iface.close();
}

await (what === 'alloc' ? alloc() : setup());
process.exit(0);
