import { fileURLToPath } from 'node:url';
import { createInterface } from '@memif/memif';
import { Testpmd } from '@memif/test-kit';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from './cleanups-after-each.ts';
import { CliProcess, removeSocket, runCli, uniqueSocketPath, waitForFile } from './cli-process.ts';

/** Three pings to 192.168.1.2, 0.2 s apart, as the client of the server listening on `socket`. */
function pingAsClient(socket: string): string[] {
  const vdev = `net_memif0,role=client,socket=${socket},socket-abstract=no`;
  return ['ping', '--vdev', vdev, '--ip', '192.168.1.1/24', '-c', '3', '-i', '0.2', '192.168.1.2'];
}

const REPLY_LINE = /^64 bytes from 192\.168\.1\.2: icmp_seq=(\d+) ttl=64 time=\d+(\.\d+)? ms$/gm;

describe('memif ping against dpdk-testpmd in icmpecho mode', { timeout: 90_000 }, () => {
  const cleanups = cleanupsAfterEach();

  it('pings testpmd as its client (testpmd is the server)', async () => {
    const socket = uniqueSocketPath('ping-client');
    cleanups.push(() => removeSocket(socket));
    const testpmd = await Testpmd.start({
      vdevs: [`net_memif0,role=server,id=0,socket=${socket},socket-abstract=no`],
      appArgs: ['--forward-mode=icmpecho', '--auto-start'],
    });
    cleanups.push(() => testpmd.stop());
    const result = await runCli(pingAsClient(socket), 60_000);
    expect(result.stdout).toMatch(/^PING 192\.168\.1\.2 \(192\.168\.1\.2\) 56\(84\) bytes of data\.$/m);
    expect([...result.stdout.matchAll(REPLY_LINE)].map((m) => m[1])).toEqual(['1', '2', '3']);
    expect(result.stdout).toContain('--- 192.168.1.2 ping statistics ---');
    expect(result.stdout).toMatch(/^3 packets transmitted, 3 received, 0% packet loss, time \d+ms$/m);
    expect(result.stdout).toMatch(/^rtt min\/avg\/max\/mdev = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms$/m);
    expect(result.code).toBe(0);
  });

  it('pings testpmd as its server (testpmd is the client), with flags instead of --vdev', async () => {
    const socket = uniqueSocketPath('ping-server');
    cleanups.push(() => removeSocket(socket));
    const ping = new CliProcess([
      'ping',
      '--role',
      'server',
      '--id',
      '7',
      '--socket',
      socket,
      '--socket-abstract',
      'no',
      '--secret',
      'lab',
      '--connect-timeout',
      '40',
      '--ip',
      '192.168.1.1/24',
      '-c',
      '2',
      '-i',
      '0.2',
      '192.168.1.2',
    ]);
    cleanups.push(() => ping.kill('SIGKILL'));
    await waitForFile(socket);
    const testpmd = await Testpmd.start({
      vdevs: [`net_memif0,role=client,id=7,secret=lab,socket=${socket},socket-abstract=no`],
      appArgs: ['--forward-mode=icmpecho', '--auto-start'],
    });
    cleanups.push(() => testpmd.stop());
    const result = await ping.result(60_000);
    expect([...result.stdout.matchAll(REPLY_LINE)].map((m) => m[1])).toEqual(['1', '2']);
    expect(result.stdout).toMatch(/^2 packets transmitted, 2 received, 0% packet loss/m);
    expect(result.code).toBe(0);
  });

  it('pings testpmd-lite in icmpecho mode (the sample app, built by the test command)', async () => {
    const socket = uniqueSocketPath('ping-lite');
    cleanups.push(() => removeSocket(socket));
    const lite = await Testpmd.start({
      command: ['node', fileURLToPath(new URL('../../../apps/testpmd-lite/bin/testpmd-lite', import.meta.url))],
      vdevs: [`net_memif0,role=server,id=0,socket=${socket},socket-abstract=no`],
      appArgs: ['--forward-mode=icmpecho', '--auto-start'],
    });
    cleanups.push(() => lite.stop());
    const result = await runCli(pingAsClient(socket), 60_000);
    expect([...result.stdout.matchAll(REPLY_LINE)].map((m) => m[1])).toEqual(['1', '2', '3']);
    expect(result.stdout).toMatch(/^3 packets transmitted, 3 received, 0% packet loss/m);
    expect(result.code).toBe(0);
  });

  it('exits with 1 when nothing answers (testpmd in rxonly mode)', async () => {
    const socket = uniqueSocketPath('ping-silent');
    cleanups.push(() => removeSocket(socket));
    const testpmd = await Testpmd.start({
      vdevs: [`net_memif0,role=server,socket=${socket},socket-abstract=no`],
      appArgs: ['--forward-mode=rxonly', '--auto-start'],
    });
    cleanups.push(() => testpmd.stop());
    const result = await runCli(
      ['ping', '--vdev', `net_memif0,socket=${socket},socket-abstract=no`, '--ip', '10.0.0.1/24', '-c', '1', '-W', '1', '10.0.0.2'],
      60_000,
    );
    expect(result.stderr).toContain('no ARP reply from 10.0.0.2 within 1 s');
    expect(result.stdout).toMatch(/0 packets transmitted, 0 received/);
    expect(result.code).toBe(1);
  });

  it('exits with 1 and a hint when no server is there', async () => {
    const socket = uniqueSocketPath('ping-nobody');
    const result = await runCli(['ping', '--socket', socket, '--connect-timeout', '0.5', '--ip', '10.0.0.1/24', '10.0.0.2']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`not connected after 0.5 s: cannot connect to @${socket} (abstract): connect ECONNREFUSED`);
    expect(result.stderr).toContain('--socket-abstract no');
  });

  it('reports a socket it may not connect to as EACCES, without the abstract-socket hint', async () => {
    const socket = uniqueSocketPath('ping-eacces');
    const server = createInterface({ role: 'master', socket, socketAbstract: false, socketMode: 0o700 });
    cleanups.push(() => server.close());
    // Root may connect anywhere: the client runs as nobody.
    const result = await runCli(
      [
        'ping',
        '--vdev',
        `net_memif0,role=client,socket=${socket},socket-abstract=no`,
        '--connect-timeout',
        '1',
        '--ip',
        '10.0.0.1/24',
        '10.0.0.2',
      ],
      60_000,
      { uid: 65534 },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`memif: connect EACCES ${socket}: permission denied`);
    expect(result.stderr).toContain(`not connected after 1 s: cannot connect to ${socket}: connect EACCES`);
    expect(result.stderr).not.toContain('no server accepted us');
    expect(result.stderr).not.toContain('abstract');
  });
});
