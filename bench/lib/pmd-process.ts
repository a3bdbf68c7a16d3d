import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type PortStats, Testpmd } from '../../tools/test-kit/src/index.ts';

/** Which program plays a testpmd: DPDK's own, or ours (same command line, same output). */
export type Impl = 'dpdk' | 'node';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TESTPMD_LITE = `${ROOT}apps/testpmd-lite/bin/testpmd-lite`;

export interface PmdOptions {
  readonly impl: Impl;
  readonly role: 'server' | 'client';
  readonly socket: string;
  /** The core this process forwards on (0 or 1). */
  readonly core: number;
  /** `lite-rxcopy` is testpmd-lite's own: dpdk-testpmd has no such engine. */
  readonly forwardMode: 'txonly' | 'rxonly' | 'io' | 'icmpecho' | 'lite-rxcopy';
  readonly txpkts: number;
  /** Extra devargs, e.g. `rx-mode=polling` for testpmd-lite. */
  readonly devargs?: string;
  /** Extra node flags for testpmd-lite (e.g. --cpu-prof). */
  readonly nodeArgs?: readonly string[];
}

export type { PortStats };

/**
 * One dpdk-testpmd or testpmd-lite process for the benchmark, driven through the test kit's
 * `Testpmd` (interactive, unique `--file-prefix`, line-buffered output). dpdk-testpmd gets
 * `-l 0-1 --main-lcore <other core>` so that its one forwarding core is `core`; testpmd-lite,
 * single-threaded, is pinned with `taskset -c <core>`. Starts spawning at construction.
 */
export class PmdProcess {
  readonly options: PmdOptions;
  readonly #started: Promise<Testpmd>;
  #testpmd: Testpmd | undefined;

  constructor(options: PmdOptions) {
    if (options.impl === 'dpdk' && options.forwardMode === 'lite-rxcopy') {
      // dpdk-testpmd would only warn and forward in io: the row would measure something else.
      throw new Error(
        'lite-rxcopy is a testpmd-lite forwarding mode; dpdk-testpmd has none (its rxonly already copies every frame into an mbuf)',
      );
    }
    this.options = options;
    const vdev = `net_memif0,role=${options.role},id=0,socket=${options.socket},socket-abstract=no${options.devargs ? `,${options.devargs}` : ''}`;
    const command =
      options.impl === 'dpdk'
        ? undefined
        : ['taskset', '-c', String(options.core), process.execPath, ...(options.nodeArgs ?? []), TESTPMD_LITE];
    this.#started = Testpmd.start({
      vdevs: [vdev],
      mainLcore: 1 - options.core,
      appArgs: [`--forward-mode=${options.forwardMode}`, `--txpkts=${options.txpkts}`],
      ...(command === undefined ? {} : { command }),
    }).then((testpmd) => (this.#testpmd = testpmd));
    this.#started.catch(() => {});
  }

  /** Resolves once the process has started (its port configured). */
  async ready(): Promise<void> {
    await this.#started;
  }

  async command(line: string, until?: RegExp, timeoutMs = 10_000): Promise<string> {
    return (await this.#started).command(line, until, timeoutMs);
  }

  /** Resolves once the link is up (`show port info 0`), or rejects after `timeoutMs`. */
  async linkUp(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = await this.command('show port info 0', /Link status:\s*(up|down)/);
      if (/Link status:\s*up/.test(text)) return;
      if (Date.now() > deadline) throw new Error(`${this.options.impl} link not up after ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  /** `start` or `start tx_first N`, resolved once forwarding runs (testpmd drains rx first). */
  async startForwarding(command = 'start'): Promise<void> {
    await (await this.#started).startForwarding(command);
  }

  async stopForwarding(): Promise<void> {
    await this.command('stop', /Done\.|Packet forwarding not started/);
  }

  async portStats(): Promise<PortStats> {
    return (await this.#started).portStats(0);
  }

  /** Quits (SIGKILL after `graceMs`) and removes DPDK's runtime directory for our prefix. */
  async stop(graceMs = 3_000): Promise<void> {
    const testpmd = await this.#started.catch(() => undefined);
    await testpmd?.stop(graceMs);
  }

  /** CPU seconds (user + system, all threads) the process has used so far; NaN once it is gone. */
  cpuSeconds(): number {
    const pid = this.#testpmd?.pid;
    if (pid === undefined) return Number.NaN;
    try {
      // Fields after the parenthesised command: state is field 3, utime 14 and stime 15 (clock ticks, 100 Hz on Linux).
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
        .replace(/^.*\) /s, '')
        .split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return Number.NaN;
    }
  }

  /** Last resort on harness exit: kill our own child by its PID. */
  kill(): void {
    this.#testpmd?.kill();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
