import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { EdgeWatcher, EventFd, FdWatcher } from '../src/index.ts';
import { exitCode } from './helpers.ts';

const fixture = fileURLToPath(new URL('./fixtures/watcher-ref.ts', import.meta.url));

/** Starts the fixture; resolves once its watcher is started and (un)ref'd. */
function watching(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('watching\n')) resolve();
    });
    child.once('exit', (code) => {
      if (!output.includes('watching\n')) reject(new Error(`fixture exited with ${code} before watching`));
    });
  });
}

describe.each(['fd', 'edge'])('%s watcher ref()/unref()', { timeout: 20_000 }, (kind) => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGKILL');
    child = undefined;
  });

  function start(calls: string): { child: ChildProcess; stderr: () => string } {
    let stderr = '';
    child = spawn(process.execPath, ['--import', 'tsx', fixture, kind, calls], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 20_000,
      killSignal: 'SIGKILL',
    });
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return { child, stderr: () => stderr };
  }

  it('an unref()ed started watcher lets the process exit by itself, cleanly', async () => {
    const { child, stderr } = start('unref');
    const exited = exitCode(child);
    await watching(child);
    expect(await exited).toBe(0);
    expect(stderr()).toBe('');
  });

  it('ref() after unref() keeps the process alive again', async () => {
    const { child } = start('unref-ref');
    const exited = exitCode(child);
    await watching(child);
    const outcome = await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1500, 'alive'))]);
    expect(outcome).toBe('alive');
  });
});

describe('watcher ref state', () => {
  it('is ref()ed by default, and ref()/unref() are safe after close()', () => {
    const events = EventFd.create();
    const fd = new FdWatcher(events.fd, () => {});
    const edge = new EdgeWatcher(events.fd, () => {});
    try {
      expect(fd.hasRef()).toBe(true);
      expect(edge.hasRef()).toBe(true);
      expect(edge.unref().hasRef()).toBe(false);
      expect(fd.unref().ref().hasRef()).toBe(true);
    } finally {
      fd.close();
      edge.close();
      events.close();
    }
    expect(fd.unref()).toBe(fd);
    expect(edge.ref()).toBe(edge);
  });
});
