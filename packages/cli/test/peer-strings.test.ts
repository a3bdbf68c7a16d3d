import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MsgType } from '@memif/protocol';
import { HostileMaster, isSession } from '@memif/test-kit';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from './cleanups-after-each.ts';
import { CliProcess, removeSocket, uniqueSocketPath } from './cli-process.ts';

const EVIL_REASON = 'bye\x1b[31m\r\nfake: line\x9b1m';

async function until(predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the memif command prints what a peer chose escaped', { timeout: 60_000 }, () => {
  const cleanups = cleanupsAfterEach();

  it('a DISCONNECT reason made to trick the terminal, when the peer disconnects', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memif-cli-escape-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const socket = uniqueSocketPath('escape');
    cleanups.push(() => removeSocket(socket));
    const master = HostileMaster.listen({ path: socket });
    cleanups.push(() => master.close());
    const served = master.serve({ timeoutMs: 30_000 });
    const capture = new CliProcess([
      'capture',
      '--vdev',
      `net_memif0,role=client,socket=${socket},socket-abstract=no`,
      '--connect-timeout',
      '40',
      '-c',
      '5',
      '-w',
      join(dir, 'out.pcap'),
    ]);
    cleanups.push(() => capture.kill('SIGKILL'));
    const session = await served;
    if (!isSession(session)) throw new Error('the CLI did not complete the handshake');
    cleanups.push(() => session.close());
    // Once it says it captures, the command listens for disconnects (not before: a DISCONNECT
    // read together with CONNECTED would come before its listener).
    await until(() => capture.stderr.includes('capturing on'));
    session.control.send({ type: MsgType.Disconnect, code: 1, reason: EVIL_REASON });
    await until(() => capture.stderr.includes('the peer disconnected'));
    expect(capture.stderr).toContain('memif: the peer disconnected: bye\\x1b[31m\\x0d\\x0afake: line\\x9b1m\n');
    expect(capture.stderr).not.toMatch(/[\x1b\x9b\r]/);
  });
});
