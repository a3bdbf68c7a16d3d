import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testpmd } from '@memif/test-kit';
import { describe, expect, it } from 'vitest';
import { LinkType } from '../src/pcap-format.ts';
import { PcapWriter } from '../src/pcap-writer.ts';
import { cleanupsAfterEach } from './cleanups-after-each.ts';
import { CliProcess, removeSocket, uniqueSocketPath } from './cli-process.ts';

/** A pcap of `count` UDP-looking frames of varied sizes, 1 ms apart. */
function writeFrames(file: string, count: number): number {
  const writer = new PcapWriter(file, LinkType.Ethernet);
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const frame = new Uint8Array(i % 4 === 0 ? 1500 : 64);
    frame.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00]);
    frame[20] = i & 0xff;
    writer.write(frame, 1_700_000_000_000_000 + i * 1000);
    bytes += frame.length;
  }
  writer.close();
  return bytes;
}

describe('memif replay into dpdk-testpmd in rxonly mode', { timeout: 90_000 }, () => {
  const cleanups = cleanupsAfterEach();

  it.each([
    ['--topspeed', ['--topspeed', '--loop', '3']],
    ['--rate', ['--rate', '2000']],
  ])('sends every frame (%s), and testpmd counts them all', async (_label, pacing) => {
    const dir = mkdtempSync(join(tmpdir(), 'memif-cli-replay-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const socket = uniqueSocketPath('replay');
    cleanups.push(() => removeSocket(socket));
    const file = join(dir, 'frames.pcap');
    const bytesPerLoop = writeFrames(file, 400);
    const loops = pacing.includes('--loop') ? 3 : 1;
    const testpmd = await Testpmd.start({
      vdevs: [`net_memif0,role=server,socket=${socket},socket-abstract=no`],
      appArgs: ['--forward-mode=rxonly', '--auto-start'],
    });
    cleanups.push(() => testpmd.stop());
    // --hold keeps the connection while we read testpmd's counters: DPDK clears them on disconnect.
    const replay = new CliProcess([
      'replay',
      '--vdev',
      `net_memif0,role=client,socket=${socket},socket-abstract=no`,
      ...pacing,
      '--hold',
      '30',
      file,
    ]);
    cleanups.push(() => replay.kill('SIGKILL'));
    const expected = 400 * loops;
    let stats = await testpmd.portStats(0);
    const deadline = Date.now() + 40_000;
    while ((stats.rxPackets !== expected || !replay.stdout.includes('frames')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      stats = await testpmd.portStats(0);
    }
    expect(stats.rxPackets).toBe(expected);
    expect(stats.rxBytes).toBe(bytesPerLoop * loops);
    expect(replay.stdout).toMatch(
      new RegExp(`^${expected} frames \\(${bytesPerLoop * loops} bytes\\) sent in [\\d.]+ s, \\d+ pps\\n`, 'm'),
    );
    const result = await replay.kill('SIGINT');
    expect(result.code).toBe(0);
  });
});
