import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { DpdkPeer } from './dpdk-peer.ts';

let instances = 0;

export interface TestpmdOptions {
  /** `net_memif0,role=server,...` values, one per port. */
  readonly vdevs: readonly string[];
  /** Application options after `--` (besides the ones every test needs, which are added). */
  readonly appArgs?: readonly string[];
  /** Interactive (`-i`, commands on stdin) or not (stdin kept open until stop). Default true. */
  readonly interactive?: boolean;
  /** `-l` list; default `0-1` (one main and one forwarding core on the 2-core machine). */
  readonly lcores?: string;
  readonly mainLcore?: number;
  /** How long to wait for start-up. Default 30 s. */
  readonly startTimeoutMs?: number;
  /** Extra EAL options before `--`. */
  readonly ealArgs?: readonly string[];
  /**
   * The program and its leading arguments; default: the {@link peer}'s dpdk-testpmd under
   * `stdbuf` (its stdout is block-buffered on a pipe). testpmd-lite takes the same command line.
   */
  readonly command?: readonly string[];
  /**
   * What stdin gets: by default a pipe kept open for commands. A string is written and then
   * stdin is closed, as `printf 'start\n...' | dpdk-testpmd -i` or `</dev/null` (empty string) do.
   */
  readonly input?: string;
  /** The output that means "started"; default the link check (interactive) or "Press enter to exit". */
  readonly ready?: RegExp;
  /**
   * Which DPDK runs when no `command` is given; default {@link DpdkPeer.fromEnv} (the host's, or
   * the root named by `MEMIF_TEST_DPDK_ROOT`). Filesystem socket paths in `vdevs` are host paths;
   * they are translated to what the peer sees.
   */
  readonly peer?: DpdkPeer;
}

export interface PortStats {
  rxPackets: number;
  rxMissed: number;
  rxBytes: number;
  rxErrors: number;
  txPackets: number;
  txErrors: number;
  txBytes: number;
}

/**
 * One `dpdk-testpmd` process for a test: unique `--file-prefix`, no hugepages, line-buffered
 * output collected for assertions, and a `stop()` that always ends the process it started.
 */
export class Testpmd {
  readonly filePrefix: string;
  readonly args: readonly string[];
  output = '';
  readonly #child: ChildProcessByStdio<Writable, Readable, Readable>;
  readonly #exited: Promise<number | null>;
  readonly #inputClosed: boolean;
  #listeners: Array<() => void> = [];
  readonly #serverSocketFiles: string[];
  /** The DPDK this runs, or undefined when `command` named another program (testpmd-lite). */
  readonly peer: DpdkPeer | undefined;

  private constructor(options: TestpmdOptions) {
    this.filePrefix = `memif-test-${process.pid}-${++instances}`;
    this.peer = options.command === undefined ? (options.peer ?? DpdkPeer.fromEnv()) : undefined;
    const peer = this.peer;
    const isFileSocket = (vdev: string): boolean => /,socket-abstract=no\b/.test(vdev);
    this.#serverSocketFiles = options.vdevs
      .filter((vdev) => /,role=(server|master)\b/.test(vdev) && isFileSocket(vdev))
      .flatMap((vdev) => vdev.match(/,socket=([^,]+)/)?.[1] ?? []);
    const vdevs = options.vdevs.map((vdev) =>
      peer === undefined || !isFileSocket(vdev)
        ? vdev
        : vdev.replace(/,socket=([^,]+)/, (_, path: string) => `,socket=${peer.peerPath(path)}`),
    );
    const eal = [
      '-l',
      options.lcores ?? '0-1',
      ...(options.mainLcore === undefined ? [] : ['--main-lcore', String(options.mainLcore)]),
      // -v: EAL prints the version it runs, which `version` reads.
      ...(peer === undefined ? [] : ['-v']),
      '--no-huge',
      '-m',
      '512',
      '--no-pci',
      `--file-prefix=${this.filePrefix}`,
      ...(options.ealArgs ?? []),
      ...vdevs.map((v) => `--vdev=${v}`),
    ];
    const app = [...(options.interactive === false ? [] : ['-i']), '--no-mlockall', '--total-num-mbufs=16384', ...(options.appArgs ?? [])];
    this.args = [...eal, '--', ...app];
    const [program = 'dpdk-testpmd', ...leading] = options.command ?? (peer as DpdkPeer).command;
    this.#child = spawn(program, [...leading, ...this.args], { stdio: 'pipe' });
    this.#inputClosed = options.input !== undefined;
    // A process that exits before reading its input must not fail the test with EPIPE.
    this.#child.stdin.on('error', () => {});
    if (options.input !== undefined) this.#child.stdin.end(options.input);
    const collect = (chunk: Buffer): void => {
      this.output += chunk.toString('utf8');
      for (const listener of this.#listeners) listener();
    };
    this.#child.stdout.on('data', collect);
    this.#child.stderr.on('data', collect);
    // 'close', not 'exit': the last output may still be in the pipe when the process exits.
    this.#exited = new Promise((resolve) => this.#child.once('close', (code) => resolve(code)));
  }

  static async start(options: TestpmdOptions): Promise<Testpmd> {
    const testpmd = new Testpmd(options);
    const ready =
      options.ready ?? (options.interactive === false ? /Press enter to exit/ : /Checking link statuses\.\.\.\n(?:.*\n)*?\s*Done\b/);
    try {
      await testpmd.waitFor(ready, options.startTimeoutMs ?? 30_000);
    } catch (error) {
      await testpmd.stop();
      throw error;
    }
    return testpmd;
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Whether the process still runs. */
  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** The exit code once it exited (null while running or when a signal ended it). */
  get exitCode(): number | null {
    return this.#child.exitCode;
  }

  /** The signal that ended it, if one did. */
  get signalCode(): NodeJS.Signals | null {
    return this.#child.signalCode;
  }

  /** Sends `signal` (SIGINT, SIGTERM: testpmd's clean stops) to the process we started. */
  signal(signal: NodeJS.Signals): void {
    if (this.running) this.#child.kill(signal);
  }

  /** Resolves with the exit code once the process has exited and its output is read; rejects after `timeoutMs`. */
  exited(timeoutMs = 10_000): Promise<number | null> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`process ${this.pid} still runs after ${timeoutMs} ms; output:\n${this.output}`)),
        timeoutMs,
      );
      void this.#exited.then((code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
  }

  /** The DPDK version this process printed at start-up (`24.11.8`), or undefined (testpmd-lite). */
  get version(): string | undefined {
    return this.output.match(/RTE Version: 'DPDK ([0-9][^']*)'/)?.[1];
  }

  /**
   * Whether the process ends within `timeoutMs` (true at once if it has): after our side saw the
   * link drop, this tells a peer that crashed from one that merely disconnected.
   */
  async endsWithin(timeoutMs: number): Promise<boolean> {
    if (!this.running) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const ended = await Promise.race([this.#exited.then(() => true), timeout]);
    clearTimeout(timer);
    return ended;
  }

  /** Resolves with the output once `pattern` matches it after `from` (default: anywhere). */
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
        reject(new Error(`dpdk-testpmd exited before printing ${pattern}; output:\n${this.output}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`dpdk-testpmd did not print ${pattern} within ${timeoutMs} ms; output:\n${this.output}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.#listeners = this.#listeners.filter((l) => l !== listener);
        this.#child.off('close', onExit);
      };
      const listener = (): void => void check();
      this.#listeners.push(listener);
      this.#child.once('close', onExit);
      check();
    });
  }

  /** Types one command at the prompt and, when asked, waits for `until` in what follows it. */
  async command(line: string, until?: RegExp, timeoutMs = 10_000): Promise<string> {
    const from = this.output.length;
    this.#child.stdin.write(`${line}\n`);
    if (until === undefined) return '';
    await this.waitFor(until, timeoutMs, from);
    return this.output.slice(from);
  }

  /**
   * `start` (or `start tx_first`), resolved once forwarding runs: testpmd first drains every rx
   * queue (frames arriving then are discarded) and prints its configuration only after that.
   */
  async startForwarding(command = 'start'): Promise<void> {
    await this.command(command, /Rx offloads=0x[0-9a-f]+ Tx offloads=0x[0-9a-f]+\s*\n/);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  /** `show port stats <port>`, parsed. */
  async portStats(port = 0): Promise<PortStats> {
    const text = await this.command(`show port stats ${port}`, /Tx-pps:.*\n.*#{10,}/);
    const num = (re: RegExp): number => Number(text.match(re)?.[1] ?? Number.NaN);
    return {
      rxPackets: num(/RX-packets:\s*(\d+)/),
      rxMissed: num(/RX-missed:\s*(\d+)/),
      rxBytes: num(/RX-bytes:\s*(\d+)/),
      rxErrors: num(/RX-errors:\s*(\d+)/),
      txPackets: num(/TX-packets:\s*(\d+)/),
      txErrors: num(/TX-errors:\s*(\d+)/),
      txBytes: num(/TX-bytes:\s*(\d+)/),
    };
  }

  /** Last resort (e.g. on a harness's exit): SIGKILL now, then the same clean-up as `stop`. */
  kill(): void {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
    rmSync(this.#runtimeDir(), { recursive: true, force: true });
    for (const path of this.#serverSocketFiles) rmSync(path, { force: true });
  }

  #runtimeDir(): string {
    return (this.peer ?? new DpdkPeer(undefined)).runtimeDir(this.filePrefix);
  }

  /** Quits (or kills after `graceMs`), then removes DPDK's runtime directory for our prefix. */
  async stop(graceMs = 5_000): Promise<number | null> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      // With its input closed, testpmd is stopped as a script stops it: SIGINT.
      if (this.#inputClosed) this.#child.kill('SIGINT');
      else this.#child.stdin.end('quit\n');
      const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
      await this.#exited;
      clearTimeout(timer);
    }
    rmSync(this.#runtimeDir(), { recursive: true, force: true });
    // A server that had to be killed could not unlink its socket file.
    for (const path of this.#serverSocketFiles) rmSync(path, { force: true });
    return this.#child.exitCode;
  }
}
