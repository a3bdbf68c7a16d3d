import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testpmd } from '@memif/test-kit';
import { describe, expect, it } from 'vitest';
import { parsePcap } from '../src/pcap-reader.ts';
import { cleanupsAfterEach } from './cleanups-after-each.ts';
import { CliProcess, captureServer, removeSocket, uniqueSocketPath, waitForFile } from './cli-process.ts';

describe('memif capture of dpdk-testpmd txonly traffic', { timeout: 90_000 }, () => {
  const cleanups = cleanupsAfterEach();

  async function startTxonlyClient(socket: string): Promise<Testpmd> {
    const testpmd = await Testpmd.start({
      vdevs: [`net_memif0,role=client,socket=${socket},socket-abstract=no`],
      appArgs: ['--forward-mode=txonly', '--txpkts=64'],
    });
    cleanups.push(() => testpmd.stop());
    await testpmd.command('start');
    return testpmd;
  }

  it('writes a pcap file of -c frames and decodes each one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memif-cli-capture-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const socket = uniqueSocketPath('capture');
    cleanups.push(() => removeSocket(socket));
    const file = join(dir, 'txonly.pcap');
    const capture = new CliProcess([
      'capture',
      '--vdev',
      `net_memif0,role=server,socket=${socket},socket-abstract=no`,
      '--connect-timeout',
      '40',
      '-c',
      '50',
      '-w',
      file,
    ]);
    cleanups.push(() => capture.kill('SIGKILL'));
    await waitForFile(socket);
    await startTxonlyClient(socket);
    const result = await capture.result(60_000);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(50);
    // testpmd txonly: UDP 198.18.0.1:9 > 198.18.0.2:9 in 64-byte frames.
    expect(lines[0]).toMatch(
      /^\d\d:\d\d:\d\d\.\d{6} ([0-9a-f]{2}:){5}[0-9a-f]{2} > ([0-9a-f]{2}:){5}[0-9a-f]{2}, IPv4, 198\.18\.0\.1:9 > 198\.18\.0\.2:9: UDP, length 64$/,
    );
    expect(result.stderr).toMatch(/^50 frames captured \(3200 bytes\) in [\d.]+ s, written to /m);
    const pcap = parsePcap(readFileSync(file));
    expect(pcap).toMatchObject({ linkType: 1, versionMajor: 2, versionMinor: 4 });
    expect(pcap.records).toHaveLength(50);
    for (const record of pcap.records) {
      expect(record.data.length).toBe(64);
      expect(record.originalLength).toBe(64);
      expect((record.data[12] ?? 0) * 256 + (record.data[13] ?? 0)).toBe(0x0800);
    }
    const times = pcap.records.map((r) => r.timestampMicros);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.abs((times[0] ?? 0) / 1000 - Date.now())).toBeLessThan(60_000);
  });

  it('ends cleanly on SIGINT with a summary (--quiet counts only)', async () => {
    const { socket, capture } = await captureServer(cleanups, 'capture-sigint', ['--connect-timeout', '40', '--quiet']);
    await startTxonlyClient(socket);
    const deadline = Date.now() + 20_000;
    while (!capture.stderr.includes('capturing on') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    const result = await capture.kill('SIGINT', 10_000);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const captured = Number(/^(\d+) frames captured/m.exec(result.stderr)?.[1]);
    expect(captured).toBeGreaterThan(0);
  });
});
