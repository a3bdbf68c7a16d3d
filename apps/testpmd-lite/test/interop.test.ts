import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Testpmd } from '@memif/test-kit';
import { testpmdLiteCommand } from './testpmd-lite-command.ts';

type Kind = 'lite' | 'dpdk';

let sockets = 0;
const started: Testpmd[] = [];
const socketFiles: string[] = [];

afterEach(async () => {
  for (const side of started.splice(0)) await side.stop();
  for (const file of socketFiles.splice(0)) rmSync(file, { force: true });
});

/** Starts one side, interactive, with the spec's recipe; testpmd-lite through the same driver. */
async function startSide(kind: Kind, role: 'server' | 'client', socket: string): Promise<Testpmd> {
  const options = { vdevs: [`net_memif0,role=${role},id=0,socket=${socket},socket-abstract=no`] };
  const side = await Testpmd.start(kind === 'lite' ? { ...options, command: testpmdLiteCommand } : options);
  started.push(side);
  return side;
}

/** testpmd-lite can say when its link is up; dpdk-testpmd's side is waited for by its peer. */
async function waitForLink(side: Testpmd, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!/Link status: up/.test(await side.command('show port info 0', /Max possible TX queues/))) {
    if (Date.now() > deadline) throw new Error(`link still down; output:\n${side.output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the seed walkthrough', () => {
  it.each<[Kind, Kind]>([
    ['lite', 'lite'],
    ['lite', 'dpdk'],
    ['dpdk', 'lite'],
  ])('%s server <-> %s client', async (serverKind, clientKind) => {
    const socket = join(tmpdir(), `testpmd-lite-${process.pid}-${++sockets}.sock`);
    socketFiles.push(socket);
    const server = await startSide(serverKind, 'server', socket);
    const client = await startSide(clientKind, 'client', socket);
    if (clientKind === 'lite') await waitForLink(client);
    if (serverKind === 'lite') await waitForLink(server);

    await client.command('start', /packets\/burst=32/);
    await server.command('start tx_first', /packets\/burst=32/);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const side of [server, client]) {
      const stats = await side.portStats(0);
      expect(stats.rxPackets).toBeGreaterThan(0);
      expect(stats.txPackets).toBeGreaterThan(0);
      // Counters are read while traffic runs, so bytes and packets may be a few frames apart.
      expect(stats.rxBytes).toBeGreaterThan(0);
    }
    for (const side of [client, server]) {
      expect(await side.command('stop', /Done\./)).toMatch(/Forward statistics for port 0[\s\S]*RX-packets: [1-9]/);
    }
    expect(await client.stop()).toBe(0);
    expect(await server.stop()).toBe(0);
    expect(existsSync(socket)).toBe(false);
  }, 90_000);
});
