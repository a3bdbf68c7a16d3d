// A server killed with kill -9 leaves its socket file: the next one fails to bind, says how to
// get past it, and --replace-stale-socket yes removes the file when nothing listens on it.
import { existsSync } from 'node:fs';
import { createInterface } from '@memif/memif';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from './cleanups-after-each.ts';
import { CliProcess, captureServer, runCli } from './cli-process.ts';

describe('a memif server restarted after kill -9', { timeout: 90_000 }, () => {
  const cleanups = cleanupsAfterEach();

  async function killedServer(label: string): Promise<string> {
    const { socket, capture: first } = await captureServer(cleanups, label, ['--connect-timeout', '60', '--quiet']);
    await first.kill('SIGKILL');
    expect(existsSync(socket)).toBe(true);
    return socket;
  }

  it('fails to bind the stale file, with a hint naming --replace-stale-socket', async () => {
    const socket = await killedServer('stale-hint');
    const result = await runCli([
      'capture',
      '--role',
      'server',
      '--socket',
      socket,
      '--socket-abstract',
      'no',
      '--connect-timeout',
      '1',
      '-c',
      '1',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`memif capture: cannot create the interface: bind EADDRINUSE ${socket}`);
    expect(result.stderr).toMatch(/^hint: .*add --replace-stale-socket yes \(replace-stale-socket=yes in --vdev\)/m);
    expect(result.stdout).toBe('');
  });

  it('replaces the stale file with --replace-stale-socket yes and serves a client', async () => {
    const socket = await killedServer('stale-replace');
    const capture = new CliProcess([
      'capture',
      '--vdev',
      `net_memif0,role=server,socket=${socket},socket-abstract=no`,
      '--replace-stale-socket',
      'yes',
      '--connect-timeout',
      '30',
      '-c',
      '3',
      '--quiet',
    ]);
    cleanups.push(() => capture.kill('SIGKILL'));
    const client = createInterface({ role: 'client', socket, socketAbstract: false, reconnectInterval: 100 });
    cleanups.push(() => client.close());
    const frame = new Uint8Array(60).fill(0xab);
    const deadline = Date.now() + 30_000;
    while (capture.stderr.match(/frames captured/) === null && Date.now() < deadline) {
      client.trySend(frame);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const result = await capture.result(10_000);
    expect(result.stderr).toMatch(/^3 frames captured/m);
    expect(result.code).toBe(0);
  });

  it('never replaces a socket a live server listens on', async () => {
    const { socket } = await captureServer(cleanups, 'stale-live', ['--connect-timeout', '60', '--quiet']);
    const result = await runCli([
      'capture',
      '--role',
      'server',
      '--socket',
      socket,
      '--socket-abstract',
      'no',
      '--replace-stale-socket',
      'yes',
      '--connect-timeout',
      '1',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('bind EADDRINUSE');
    expect(result.stderr).toMatch(/^hint: another process is listening on this socket/m);
  });
});
