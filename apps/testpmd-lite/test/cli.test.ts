import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testpmd } from '@memif/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { testpmdLite, testpmdLiteCommand } from './testpmd-lite-command.ts';

const started: Testpmd[] = [];
const socketFiles: string[] = [];
let sockets = 0;

afterEach(async () => {
  for (const side of started.splice(0)) await side.stop();
  for (const file of socketFiles.splice(0)) rmSync(file, { force: true });
});

function serverVdev(): { vdev: string; socket: string } {
  const socket = join(tmpdir(), `testpmd-lite-cli-${process.pid}-${++sockets}.sock`);
  socketFiles.push(socket);
  return { vdev: `net_memif0,role=server,socket=${socket},socket-abstract=no`, socket };
}

async function exited(pid: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) throw new Error(`process ${pid} still runs`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function startLite(vdevs: string[], appArgs: string[], interactive: boolean): Promise<Testpmd> {
  const lite = await Testpmd.start({ vdevs, appArgs, interactive, command: testpmdLiteCommand });
  started.push(lite);
  return lite;
}

/** Resolves once port 0 reports its link up. */
async function waitForLink(side: Testpmd, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!/Link status:\s*up/.test(await side.command('show port info 0', /Link status:\s*(up|down)/))) {
    if (Date.now() > deadline) throw new Error(`link not up after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('testpmd-lite as a process', () => {
  it('fails on unknown options with exit code 1 and testpmd wording', () => {
    const app = spawnSync(testpmdLite.command, [...testpmdLite.args, '--vdev=net_memif0', '--', '--bogus'], {
      env: testpmdLite.env,
      encoding: 'utf8',
    });
    expect(app.status).toBe(1);
    expect(app.stderr).toContain("testpmd-lite: unrecognized option '--bogus'");
    expect(app.stderr).toContain('EAL: Error - exiting with code: 1\n  Cause: Command line is incomplete or incorrect');
    const eal = spawnSync(testpmdLite.command, [...testpmdLite.args, '--bogus'], { env: testpmdLite.env, encoding: 'utf8' });
    expect(eal.status).toBe(1);
    expect(eal.stderr).toContain('Cause: Cannot init EAL: Invalid argument');
  }, 30_000);

  it('runs non-interactively with --stats-period and stdin at EOF until SIGINT, then prints forward statistics and unlinks its socket', async () => {
    const { vdev, socket } = serverVdev();
    const lite = await Testpmd.start({
      vdevs: [vdev],
      appArgs: ['--forward-mode=txonly', '--stats-period=1'],
      interactive: false,
      input: '',
      ready: /Port statistics/,
      command: testpmdLiteCommand,
    });
    started.push(lite);
    expect(lite.output).toMatch(
      /Configuring Port 0 \(socket 0\)\nPort 0: ([0-9A-F]{2}:){5}[0-9A-F]{2}\nChecking link statuses\.\.\.\nDone\n/,
    );
    expect(existsSync(socket)).toBe(true);
    await lite.waitFor(/(Port statistics =+\n[\s\S]*NIC statistics for port 0[\s\S]*){2}/, 10_000);
    expect(lite.running).toBe(true);
    expect(lite.output).not.toContain('Press enter to exit');
    lite.signal('SIGINT');
    expect(await lite.exited()).toBe(0);
    // Nobody listens, so every txonly frame counts as dropped, as with dpdk-testpmd.
    expect(lite.output).toMatch(/Forward statistics for port 0[\s\S]*TX-dropped: [1-9]/);
    expect(lite.output).toContain('Port 0 never connected: no memif client connected on');
    expect(lite.output).toContain('Port 0 is closed');
    expect(existsSync(socket)).toBe(false);
  }, 30_000);

  it('as a client whose server never appears, says so at start and in the final statistics, and keeps retrying', async () => {
    const socket = join(tmpdir(), `testpmd-lite-cli-${process.pid}-${++sockets}-absent.sock`);
    const lite = await startLite(
      [`net_memif0,role=client,socket=${socket},socket-abstract=no`],
      ['--forward-mode=rxonly', '--auto-start'],
      true,
    );
    await lite.waitFor(new RegExp(`Port 0: no memif server accepts connections on ${socket}; testpmd-lite retries every 1000 ms`), 10_000);
    expect(await lite.command('stop', /Done\./)).toMatch(/Forward statistics for port 0/);
    await lite.waitFor(new RegExp(`Port 0 never connected: no memif server accepted it on ${socket}`), 5_000);
    expect(await lite.stop()).toBe(0);
  }, 30_000);

  it('restarted after kill -9, replaces its stale socket file with replace-stale-socket=yes, and says how otherwise', async () => {
    const { vdev, socket } = serverVdev();
    const first = await startLite([vdev], [], true);
    process.kill(first.pid as number, 'SIGKILL');
    await exited(first.pid as number);
    expect(existsSync(socket)).toBe(true);
    const refused = spawnSync(testpmdLite.command, [...testpmdLite.args, `--vdev=${vdev}`, '--', '-i'], {
      env: testpmdLite.env,
      encoding: 'utf8',
      input: '',
    });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`bind EADDRINUSE ${socket}`);
    expect(refused.stderr).toContain(
      'hint: a server killed with kill -9 leaves its socket file behind; add replace-stale-socket=yes to the --vdev',
    );
    const second = await startLite([`${vdev},replace-stale-socket=yes`], [], true);
    expect(await second.command('show port info 0', /Max possible TX queues/)).toContain('Memif state: listening');
    expect(await second.stop()).toBe(0);
    expect(existsSync(socket)).toBe(false);
  }, 30_000);

  it('with --tx-first waits for the link, and a signal during that wait ends the run cleanly', async () => {
    const { vdev, socket } = serverVdev();
    const lite = await Testpmd.start({
      vdevs: [vdev],
      appArgs: ['--tx-first', '--stats-period=1'],
      interactive: false,
      input: '',
      ready: /Checking link statuses\.\.\.\n/,
      command: testpmdLiteCommand,
    });
    started.push(lite);
    // On stderr: it may arrive after the stdout line the start waited for.
    await lite.waitFor(/Warning: lsc_interrupt needs to be off when using tx_first\. Disabling\./, 10_000);
    lite.signal('SIGINT');
    expect(await lite.exited()).toBe(0);
    expect(lite.output).toMatch(/^Port 0 Link down$/m);
    expect(lite.output).not.toContain('start packet forwarding');
    expect(lite.output).toContain('Bye...');
    expect(existsSync(socket)).toBe(false);
  }, 30_000);

  it('stops cleanly on SIGTERM', async () => {
    const { vdev, socket } = serverVdev();
    const lite = await startLite([vdev], ['--auto-start'], false);
    process.kill(lite.pid as number, 'SIGTERM');
    // Wait for the exit before stop(), whose "quit" on stdin would race the signal; then for the
    // output, since 'exit' can come before the last of it is read.
    await exited(lite.pid as number);
    expect(await lite.stop()).toBe(0);
    await lite.waitFor(/Bye\.\.\./);
    expect(lite.output).toContain('Accumulated forward statistics for all ports');
    expect(existsSync(socket)).toBe(false);
  }, 30_000);

  it('in lite-rxcopy, receives, copies and counts every frame a txonly client sends, chained or longer than an mbuf', async () => {
    const { vdev, socket } = serverVdev();
    const server = await startLite([vdev], ['--forward-mode=lite-rxcopy'], true);
    await server.waitFor(/testpmd> $/);
    // bsize=4096: 3000-byte frames arrive as one segment longer than an mbuf (2048); the second
    // client's default bsize chains them over two slots.
    for (const bsize of [4096, 2048]) {
      const client = await startLite(
        [`net_memif0,role=client,socket=${socket},socket-abstract=no,bsize=${bsize}`],
        ['--forward-mode=txonly', '--txpkts=3000'],
        true,
      );
      await client.waitFor(/testpmd> $/);
      await waitForLink(client);
      await server.command('clear port stats all', /\ntestpmd> /);
      await server.startForwarding();
      await client.startForwarding();
      const deadline = Date.now() + 15_000;
      while ((await server.portStats()).rxPackets < 2000 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      await client.command('stop', /Done\./);
      // The ring drains into the server before it stops.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await server.command('stop', /Done\./);
      expect(server.output).toContain('lite-rxcopy packet forwarding - ports=1');
      const [received, sent] = await Promise.all([server.portStats(), client.portStats()]);
      expect(received.rxPackets).toBeGreaterThanOrEqual(2000);
      expect(received.rxPackets).toBe(sent.txPackets);
      expect(received.rxBytes).toBe(received.rxPackets * 3000);
      expect(received.rxErrors + received.rxMissed).toBe(0);
      expect(await client.stop()).toBe(0);
      started.splice(started.indexOf(client), 1);
    }
  }, 60_000);

  it('answers prompt commands like testpmd', async () => {
    const { vdev } = serverVdev();
    const lite = await startLite([vdev, 'net_memif1,role=server,socket=/testpmd-lite-cli-abstract'], [], true);
    await lite.waitFor(/testpmd> $/);
    expect(await lite.command('set fwd lite-rxcopy', /\ntestpmd> /)).toContain('Set lite-rxcopy packet forwarding mode');
    expect(await lite.command('set fwd macswap', /\ntestpmd> /)).toContain('Set macswap packet forwarding mode');
    expect(await lite.command('set eth-peer 1 02:00:00:00:00:77', /\ntestpmd> /)).not.toContain('Bad');
    const config = await lite.command('show config fwd', /\ntestpmd> /);
    expect(config).toContain('macswap packet forwarding - ports=2 - cores=1 - streams=2');
    expect(config).toContain('RX P=0/Q=0 (socket 0) -> TX P=1/Q=0 (socket 0) peer=02:00:00:00:00:77');
    expect(await lite.command('set fwd csum', /\ntestpmd> /)).toContain('Bad arguments');
    expect(await lite.command('show port stats 5', /\ntestpmd> /)).toContain('Invalid port 5');
    expect(await lite.command('bogus', /\ntestpmd> /)).toContain('Command not found');
    expect(await lite.command('clear port stats all', /\ntestpmd> /)).toContain('NIC statistics for port 1 cleared');
    // On stderr, as dpdk-testpmd writes it: it may come after the next prompt.
    const from = lite.output.length;
    await lite.command('stop');
    await lite.waitFor(/Packet forwarding not started/, 10_000, from);
    expect(await lite.stop()).toBe(0);
  }, 30_000);
});
