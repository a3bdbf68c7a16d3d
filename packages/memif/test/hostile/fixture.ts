// What every hostile-peer test shares: a registry of things to close, a healthy interface pair
// that must keep working beside the victim, and resource snapshots to prove nothing leaked.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect } from 'vitest';
import { createInterface, type MemifError, type MemifInterface, type MemifOptions } from '../../src/index.ts';
import { uniqueSocketPath, waitUntil } from '../helpers.ts';
import { checkFrame, fillFrame } from '../peer/frame-pattern.ts';
import { Peer } from '../peer/spawn-peer.ts';

const cleanups: Array<() => unknown> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  removeSocketFiles();
});

/** Socket files of this test process that a killed peer left behind (uniqueSocketPath names). */
export function removeSocketFiles(): void {
  const mine = new RegExp(`^memif-.*-${process.pid}-\\d+\\.sock$`);
  for (const name of readdirSync(tmpdir())) if (mine.test(name)) rmSync(join(tmpdir(), name), { force: true });
}

/** Runs `cleanup` after the current test, last registered first. */
export function onCleanup(cleanup: () => unknown): void {
  cleanups.push(cleanup);
}

/** An interface closed after the test, with its errors collected (so none goes unheard). */
export function iface(options: MemifOptions): MemifInterface & { errors: MemifError[]; disconnects: string[] } {
  const created = Object.assign(createInterface(options), { errors: [] as MemifError[], disconnects: [] as string[] });
  created.on('error', (error) => created.errors.push(error as MemifError));
  created.on('disconnected', (reason) => created.disconnects.push(reason));
  onCleanup(() => created.close());
  return created;
}

/** A master on a fresh filesystem socket, polling its queues; handshakes time out fast. */
export function victimMaster(label: string, extra: MemifOptions = {}): ReturnType<typeof iface> & { socket: string } {
  const socket = uniqueSocketPath(label);
  const master = iface({ role: 'master', socket, socketAbstract: false, handshakeTimeout: 500, log2RingSize: 6, ...extra });
  return Object.assign(master, { socket });
}

/**
 * Our master in this process and a slave in a child process, exchanging numbered frames: the
 * bystander that must keep working whatever the hostile peer does to its neighbour. (A master
 * and a slave of one process may not share a socket, hence the child.)
 */
export class HealthyPair {
  readonly master: MemifInterface;
  readonly peer: Peer;
  #next = 0;

  private constructor(master: MemifInterface, peer: Peer) {
    this.master = master;
    this.peer = peer;
  }

  /** Starts the pair; call in `beforeAll` and {@link stop} in `afterAll`. */
  static async start(): Promise<HealthyPair> {
    const socket = uniqueSocketPath('healthy');
    const master = createInterface({ role: 'master', id: 7, socket, socketAbstract: false, log2RingSize: 6 });
    master.on('error', () => {});
    const peer = new Peer({ role: 'slave', id: 7, socket, socketAbstract: false, log2RingSize: 6, reconnectInterval: 50 });
    await peer.next('connected', 20_000);
    await waitUntil(() => master.connected, 5000, 'the healthy pair to connect');
    return new HealthyPair(master, peer);
  }

  /** Moves `count` numbered frames each way and checks every one arrived intact, in order. */
  async exchange(count = 20): Promise<void> {
    expect(this.master.connected).toBe(true);
    const first = this.#next;
    this.#next += count;
    const received = this.peer.request({ type: 'expect', count, sizes: SIZES, first }, 'received', 10_000);
    const frame = new Uint8Array(SIZES[0] as number);
    for (let seq = first; seq < first + count; seq++) {
      fillFrame(frame, seq);
      await this.master.send(frame);
    }
    expect(await received).toMatchObject({ count, problems: [] });
    const sent = this.peer.request({ type: 'send', count, sizes: SIZES, first }, 'sent', 10_000);
    const problems: string[] = [];
    let seq = first;
    for await (const got of this.master.frames()) {
      const problem = checkFrame(got, seq, SIZES);
      if (problem !== undefined) problems.push(problem);
      if (++seq === first + count) break;
    }
    await sent;
    expect(problems).toEqual([]);
  }

  async stop(): Promise<void> {
    await this.peer.request({ type: 'close' }, 'closed', 5000).catch(() => {});
    await this.peer.kill();
    await this.master.close();
  }
}

const SIZES = [100];

/** Open fds and memfd mappings of this process, to compare before and after. */
export function resources(): { fds: number; maps: number } {
  const maps = readFileSync('/proc/self/maps', 'utf8')
    .split('\n')
    .filter((line) => line.includes('/memfd:')).length;
  return { fds: readdirSync('/proc/self/fd').length, maps };
}

/** Waits until fds and mappings are back to `baseline` (teardown may finish on a later tick). */
export async function expectReleased(baseline: { fds: number; maps: number }): Promise<void> {
  await waitUntil(
    () => {
      const now = resources();
      return now.fds <= baseline.fds && now.maps <= baseline.maps;
    },
    3000,
    `fds and mappings back to ${JSON.stringify(baseline)} (now ${JSON.stringify(resources())})`,
  );
}

/**
 * Proof that the event loop keeps turning: a timer that records the longest gap between its
 * ticks. A syscall blocked on a peer's fd shows up as a gap as long as the block.
 */
export class LoopMonitor {
  ticks = 0;
  maxGapMs = 0;
  #last = performance.now();
  readonly #timer: NodeJS.Timeout;

  constructor(intervalMs = 20) {
    this.#timer = setInterval(() => {
      const now = performance.now();
      this.maxGapMs = Math.max(this.maxGapMs, now - this.#last);
      this.#last = now;
      this.ticks++;
    }, intervalMs);
    onCleanup(() => clearInterval(this.#timer));
  }

  /** Waits for `count` more ticks. */
  async turns(count = 5): Promise<void> {
    const target = this.ticks + count;
    await waitUntil(() => this.ticks >= target, 10_000, `${count} more timer ticks`);
  }
}

/** After this long, {@link unfreezer} releases whatever of ours blocks on the fd. */
export const UNFREEZE_AFTER_MS = 15_000;

/**
 * A child process holding `fd` (an eventfd) that, after {@link UNFREEZE_AFTER_MS}, both reads
 * and writes it, each from its own process: a read or write of ours blocked on that fd then
 * returns, so a regression fails the test (a long {@link LoopMonitor} gap) instead of hanging
 * the test process for good. `fired()` tells whether it had to.
 */
export function unfreezer(fd: number): { fired: () => boolean } {
  const mark = join(tmpdir(), `memif-unfreeze-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const seconds = UNFREEZE_AFTER_MS / 1000;
  const script = `sleep ${seconds}; : > '${mark}'; (head -c 8 <&3 >/dev/null) & (printf '\\001\\000\\000\\000\\000\\000\\000\\000' >&3) & wait`;
  const child = spawn('sh', ['-c', script], { stdio: ['ignore', 'ignore', 'ignore', fd], detached: true });
  onCleanup(() => {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    rmSync(mark, { force: true });
  });
  return { fired: () => existsSync(mark) };
}

/**
 * Starts eventfd-thief.ts on `fd` for `durationMs`: a process of the "peer" that clears
 * O_NONBLOCK on the shared eventfd and takes back every signal it gives. Resolves when it ends.
 */
export async function stealSignals(fd: number, durationMs: number): Promise<void> {
  const tsx = fileURLToPath(new URL('../../../../node_modules/tsx/dist/loader.mjs', import.meta.url));
  const script = fileURLToPath(new URL('./eventfd-thief.ts', import.meta.url));
  const thief = spawn(process.execPath, ['--import', tsx, script, String(durationMs)], { stdio: ['ignore', 'ignore', 'inherit', fd] });
  onCleanup(() => thief.kill('SIGKILL'));
  await once(thief, 'exit');
}
