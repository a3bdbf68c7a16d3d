import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DpdkPeer, Testpmd } from '@memif/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
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
async function startSide(kind: Kind, role: 'server' | 'client', socket: string, vdevExtra = '', appArgs: string[] = []): Promise<Testpmd> {
  const options = { vdevs: [`net_memif0,role=${role},id=0,socket=${socket},socket-abstract=no${vdevExtra}`], appArgs };
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
  ])(
    '%s server <-> %s client',
    async (serverKind, clientKind) => {
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
    },
    90_000,
  );
});

describe(`testpmd-lite with large buffers against ${DpdkPeer.fromEnv().label}`, () => {
  it.each([4096, 9000])(
    'a client with bsize=%i in txonly --txpkts=8000 feeds a dpdk-testpmd server in rxonly, which counts every frame and keeps running',
    async (bsize) => {
      const socket = join(tmpdir(), `testpmd-lite-${process.pid}-${++sockets}.sock`);
      socketFiles.push(socket);
      const server = await startSide('dpdk', 'server', socket, '', ['--forward-mode=rxonly']);
      const client = await startSide('lite', 'client', socket, `,bsize=${bsize}`, ['--forward-mode=txonly', '--txpkts=8000']);
      await waitForLink(client);
      await server.startForwarding();
      await client.command('start', /packets\/burst=32/);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await client.command('stop', /Done\./);
      const sent = (await client.portStats(0)).txPackets;
      expect(sent).toBeGreaterThan(0);
      let received = await server.portStats(0);
      for (let tries = 0; received.rxPackets < sent && tries < 50 && server.running; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        received = await server.portStats(0);
      }
      // A crash here would be DPDK's, caused by what testpmd-lite sent while the link was up.
      expect(server.signalCode, server.output.slice(-2000)).toBeNull();
      expect(received).toMatchObject({ rxPackets: sent, rxBytes: sent * 8000, rxErrors: 0 });
    },
    90_000,
  );
});
