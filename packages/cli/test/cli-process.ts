import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const tsxLoader = fileURLToPath(new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url));
const entry = fileURLToPath(new URL('./cli-from-source.ts', import.meta.url));

let sockets = 0;

/** A socket path of its own for one test (remove it with `removeSocket`). */
export function uniqueSocketPath(label: string): string {
  return join(tmpdir(), `memif-cli-${label}-${process.pid}-${++sockets}.sock`);
}

export function removeSocket(path: string): void {
  rmSync(path, { force: true });
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly cwd?: string;
  /** Run as this user (and group), e.g. 65534 (nobody) to meet a permission error as root. */
  readonly uid?: number;
  readonly gid?: number;
}

/**
 * The `memif` command run from its sources under tsx (the workspace packages resolve to their
 * sources through packages/cli/tsconfig.sources.json paths), with output collected. Always end it with
 * `result()` or `kill()`.
 */
export class CliProcess {
  stdout = '';
  stderr = '';
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #exited: Promise<number | null>;

  constructor(args: readonly string[], options: CliOptions = {}) {
    this.#child = spawn(process.execPath, ['--import', tsxLoader, entry, ...args], {
      cwd: options.cwd ?? packageDir,
      ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid ?? options.uid }),
      env: { ...process.env, TSX_TSCONFIG_PATH: join(packageDir, 'tsconfig.sources.json') },
      stdio: 'pipe',
    });
    this.#child.stdin.end();
    this.#child.stdout.on('data', (chunk: Buffer) => (this.stdout += chunk.toString('utf8')));
    this.#child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.#exited = new Promise((resolve) => this.#child.once('close', (code) => resolve(code)));
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Resolves when the process has exited; SIGKILLs it after `timeoutMs`. */
  async result(timeoutMs = 30_000): Promise<CliResult> {
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), timeoutMs);
    const code = await this.#exited;
    clearTimeout(timer);
    return { code, stdout: this.stdout, stderr: this.stderr };
  }

  /** Sends `signal` (SIGINT: the command's clean stop) and waits for the exit. */
  async kill(signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000): Promise<CliResult> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill(signal);
    return this.result(graceMs);
  }
}

/** Runs `memif <args>` to completion. */
export function runCli(args: readonly string[], timeoutMs = 30_000, options: CliOptions = {}): Promise<CliResult> {
  return new CliProcess(args, options).result(timeoutMs);
}

/** Resolves when `path` exists (a server's socket file), rejects after `timeoutMs`. */
export async function waitForFile(path: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} did not appear within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * `memif capture --role server` on a socket path of its own, with `args` after the socket
 * options, once its socket file exists. The process is killed and the path removed at cleanup.
 */
export async function captureServer(
  cleanups: Array<() => unknown>,
  label: string,
  args: readonly string[],
): Promise<{ socket: string; capture: CliProcess }> {
  const socket = uniqueSocketPath(label);
  cleanups.push(() => removeSocket(socket));
  const capture = new CliProcess(['capture', '--role', 'server', '--socket', socket, '--socket-abstract', 'no', ...args]);
  cleanups.push(() => capture.kill('SIGKILL'));
  await waitForFile(socket);
  return { socket, capture };
}
