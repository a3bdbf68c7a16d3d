import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Which program plays a testpmd: DPDK's own, or ours (same command line, same output). */
export type Impl = 'dpdk' | 'node';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TESTPMD_LITE = `${ROOT}apps/testpmd-lite/bin/testpmd-lite`;

let instances = 0;

export interface PmdOptions {
  readonly impl: Impl;
  readonly role: 'server' | 'client';
  readonly socket: string;
  /** The core this process forwards on (0 or 1). */
  readonly core: number;
  readonly forwardMode: 'txonly' | 'rxonly' | 'io' | 'icmpecho';
  readonly txpkts: number;
  /** Extra devargs, e.g. `rx-mode=polling` for testpmd-lite. */
  readonly devargs?: string;
  /** Extra node flags for testpmd-lite (e.g. --cpu-prof). */
  readonly nodeArgs?: readonly string[];
}

export interface PortStats {
  rxPackets: number;
  rxBytes: number;
  txPackets: number;
  txBytes: number;
  rxErrors: number;
  txErrors: number;
}

/**
 * One dpdk-testpmd or testpmd-lite process, interactive (`-i`, commands on stdin), with a unique
 * `--file-prefix` and line-buffered output. dpdk-testpmd gets `-l 0-1 --main-lcore <other core>`
 * so that its one forwarding core is `core`; testpmd-lite gets `taskset -c <core>`.
 */
export class PmdProcess {
  readonly options: PmdOptions;
  readonly filePrefix: string;
  output = '';
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #exited: Promise<number | null>;
  #listeners: Array<() => void> = [];

  constructor(options: PmdOptions) {
    this.options = options;
    this.filePrefix = `memif-bench-${process.pid}-${++instances}`;
    const vdev = `net_memif0,role=${options.role},id=0,socket=${options.socket},socket-abstract=no${options.devargs ? `,${options.devargs}` : ''}`;
    const args = [
      '-l', '0-1', '--main-lcore', String(1 - options.core), '--no-huge', '-m', '512', '--no-pci',
      `--file-prefix=${this.filePrefix}`, `--vdev=${vdev}`,
      '--', '-i', '--no-mlockall', '--total-num-mbufs=16384',
      `--forward-mode=${options.forwardMode}`, `--txpkts=${options.txpkts}`,
    ];
    this.#child =
      options.impl === 'dpdk'
        ? spawn('stdbuf', ['-oL', '-eL', 'dpdk-testpmd', ...args], { stdio: 'pipe' })
        : spawn('taskset', ['-c', String(options.core), process.execPath, ...(options.nodeArgs ?? []), TESTPMD_LITE, ...args], {
            stdio: 'pipe',
            cwd: ROOT,
          });
    const collect = (chunk: Buffer): void => {
      this.output += chunk.toString('utf8');
      for (const listener of this.#listeners) listener();
    };
    this.#child.stdout.on('data', collect);
    this.#child.stderr.on('data', collect);
    this.#child.stdin.on('error', () => {});
    this.#exited = new Promise((resolve) => this.#child.once('exit', (code) => resolve(code)));
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  async ready(timeoutMs = 30_000): Promise<void> {
    await this.waitFor(/Checking link statuses\.\.\.\s*\n\s*Done/, timeoutMs);
  }

  waitFor(pattern: RegExp, timeoutMs = 10_000, from = 0): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const match = this.output.slice(from).match(pattern);
        if (match === null) return false;
        cleanup();
        resolve(match);
        return true;
      };
      const onExit = (): void => {
        if (check()) return;
        cleanup();
        reject(new Error(`${this.options.impl} exited before printing ${pattern}; output:\n${this.output.slice(-2000)}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${this.options.impl} did not print ${pattern} within ${timeoutMs} ms; output:\n${this.output.slice(-2000)}`));
      }, timeoutMs);
      const listener = (): void => void check();
      const cleanup = (): void => {
        clearTimeout(timer);
        this.#listeners = this.#listeners.filter((l) => l !== listener);
        this.#child.off('exit', onExit);
      };
      this.#listeners.push(listener);
      this.#child.once('exit', onExit);
      check();
    });
  }

  async command(line: string, until?: RegExp, timeoutMs = 10_000): Promise<string> {
    const from = this.output.length;
    this.#child.stdin.write(`${line}\n`);
    if (until === undefined) return '';
    await this.waitFor(until, timeoutMs, from);
    return this.output.slice(from);
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
    const done = this.options.impl === 'dpdk' ? /TX RS bit threshold=\d+\s*\n/ : /forwards packets on[^\n]*\n(?:[^\n]*\n)*?\s*RX P=[^\n]*\n/;
    await this.command(command, done);
    await sleep(50);
  }

  async stopForwarding(): Promise<void> {
    await this.command('stop', /Done\.|Packet forwarding not started/);
  }

  async portStats(): Promise<PortStats> {
    const text = await this.command('show port stats 0', /Tx-pps:.*\n.*#{10,}/);
    const num = (re: RegExp): number => Number(text.match(re)?.[1] ?? Number.NaN);
    return {
      rxPackets: num(/RX-packets:\s*(\d+)/),
      rxBytes: num(/RX-bytes:\s*(\d+)/),
      rxErrors: num(/RX-errors:\s*(\d+)/),
      txPackets: num(/TX-packets:\s*(\d+)/),
      txBytes: num(/TX-bytes:\s*(\d+)/),
      txErrors: num(/TX-errors:\s*(\d+)/),
    };
  }

  /** Quits (SIGKILL after `graceMs`) and removes DPDK's runtime directory for our prefix. */
  async stop(graceMs = 3_000): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#child.stdin.end('quit\n');
      const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
      await this.#exited;
      clearTimeout(timer);
    }
    rmSync(`/var/run/dpdk/${this.filePrefix}`, { recursive: true, force: true });
  }

  /** Last resort on harness exit: kill our own child by its PID. */
  kill(): void {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
    rmSync(`/var/run/dpdk/${this.filePrefix}`, { recursive: true, force: true });
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
