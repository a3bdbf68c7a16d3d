import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FdWatcher, SeqpacketSocket } from '@memif/shm-native';
import { afterEach, describe, expect, it } from 'vitest';
import { createInterface } from '../src/index.ts';
import { waitUntil } from './helpers.ts';

const script = fileURLToPath(new URL('./ref/ref-process.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url));
/** How long a process that should stay must stay. */
const STAYS_MS = 1500;

/** 'alive' if the process is still running after {@link STAYS_MS}, else how it ended. */
function stayed(exited: Promise<number | string>): Promise<unknown> {
  return Promise.race([exited, new Promise((resolve) => setTimeout(resolve, STAYS_MS, 'alive'))]);
}

interface Run {
  readonly child: ChildProcess;
  /** Resolves once the scenario is set up, rejects if the process ended before. */
  readonly ready: Promise<void>;
  /** The exit code, or the signal that ended the process. */
  readonly exited: Promise<number | string>;
  readonly stderr: () => string;
}

describe('MemifInterface ref()/unref()', { timeout: 30_000 }, () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGKILL');
    }
  });

  function run(scenario: string, calls: 'unref' | 'unref-ref', socket = `memif-ref-${process.pid}-${scenario}-${calls}`): Run {
    const child = spawn(process.execPath, ['--import', tsx, script, scenario, socket, calls], {
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 25_000,
      killSignal: 'SIGKILL',
    });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | string>((resolve) => {
      child.once('error', () => resolve(-1));
      child.once('exit', (code, signal) => resolve(signal ?? code ?? -1));
    });
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('ready\n')) resolve();
      });
      void exited.then((code) => reject(new Error(`${scenario} exited (${code}) before it was ready: ${stderr}`)));
    });
    return { child, ready, exited, stderr: () => stderr };
  }

  async function exitsByItself(scenario: string): Promise<void> {
    const { ready, exited, stderr } = run(scenario, 'unref');
    await ready;
    expect(await exited).toBe(0);
    expect(stderr()).toBe('');
  }

  async function staysAlive(scenario: string, calls: 'unref' | 'unref-ref'): Promise<void> {
    const { ready, exited, stderr } = run(scenario, calls);
    await ready;
    expect(await stayed(exited), stderr()).toBe('alive');
  }

  it('an unref()ed slave retrying a socket nobody listens on lets the process exit', () => exitsByItself('slave'));

  it('ref() after unref() keeps a retrying slave alive', () => staysAlive('slave', 'unref-ref'));

  it('an unref()ed listening master lets the process exit', () => exitsByItself('master'));

  it('ref() after unref() keeps a listening master alive', () => staysAlive('master', 'unref-ref'));

  it('an unref()ed master with a connection still in its handshake lets the process exit', async () => {
    const socket = `memif-ref-${process.pid}-master-pending`;
    const { child, ready, exited, stderr } = run('master-pending', 'unref', socket);
    await new Promise<void>((resolve) => {
      let stdout = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('listening\n')) resolve();
      });
    });
    const raw = SeqpacketSocket.connect({ abstract: socket });
    const received: number[] = [];
    const watcher = new FdWatcher(raw.fd, () => {
      for (let msg = raw.tryReceive(new Uint8Array(256)); msg !== null && msg.bytes > 0; msg = raw.tryReceive(new Uint8Array(256))) {
        received.push(msg.bytes);
      }
    });
    try {
      watcher.start('readable');
      await waitUntil(() => received.length > 0, 15_000, 'HELLO from the master');
      child.stdin?.end();
      await ready;
      expect(await exited).toBe(0);
      expect(stderr()).toBe('');
    } finally {
      watcher.close();
      raw.close();
    }
  });

  it("a socket shared by two masters stays ref'd while one of them is", () => staysAlive('shared-listener-one', 'unref'));

  it('a socket shared by two masters lets the process exit once both are unref()ed', () => exitsByItself('shared-listener-both'));

  describe.each(['slave', 'master'] as const)('connected %s', (role) => {
    /** Runs the child's interface against one in this process, which makes it reconnect once. */
    async function connected(calls: 'unref' | 'unref-ref', check: (run: Run) => Promise<void>): Promise<void> {
      const socket = `memif-ref-${process.pid}-connected-${role}-${calls}`;
      const peer = createInterface({ role: role === 'slave' ? 'master' : 'slave', socket, reconnectInterval: 50 });
      peer.on('error', () => {});
      let connections = 0;
      peer.on('connected', () => {
        if (++connections === 1) peer.disconnect('reconnect test');
      });
      try {
        await check(run(`connected-${role}`, calls, socket));
      } finally {
        await peer.close();
      }
    }

    it('unref()ed, reconnected, with a send waiting for ring space: the process exits by itself, cleanly', () =>
      connected('unref', async ({ ready, exited, stderr }) => {
        await ready;
        expect(await exited).toBe(0);
        expect(stderr()).toBe('');
      }));

    it('ref() after unref() keeps the process alive', () =>
      connected('unref-ref', async ({ ready, exited, stderr }) => {
        await ready;
        expect(await stayed(exited), stderr()).toBe('alive');
      }));
  });
});
