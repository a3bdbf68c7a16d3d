import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Testpmd } from '@memif/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LinkType } from '../src/pcap-format.ts';
import { PcapWriter } from '../src/pcap-writer.ts';
import { PingFrameBuilder } from '../src/ping-frame-builder.ts';
import { removeSocket, runCli, uniqueSocketPath } from './cli-process.ts';

const README_SOCKET = '/tmp/memif-demo.sock';

/** The `memif ...` lines of the README's `sh` blocks, in order. */
function readmeCommands(): string[] {
  const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return blocks.flatMap((block) => block.split('\n')).filter((line) => line.startsWith('memif '));
}

describe('README examples', { timeout: 240_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'memif-cli-readme-'));
  beforeAll(() => {
    // The file the replay example sends: ARP requests, which icmpecho answers.
    const writer = new PcapWriter(join(dir, 'frames.pcap'), LinkType.Ethernet);
    const frames = new PingFrameBuilder('ethernet', Uint8Array.from([2, 0, 0, 0, 0, 1]), 0xc0a80101);
    for (let i = 0; i < 20; i++) writer.write(frames.arpRequest(0xc0a80102), i * 10_000);
    writer.close();
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('has examples for every command', () => {
    const commands = readmeCommands();
    for (const name of ['ping', 'inspect', 'capture', 'replay']) expect(commands.some((c) => c.startsWith(`memif ${name} `))).toBe(true);
  });

  it('runs every example successfully against testpmd', async () => {
    for (const line of readmeCommands()) {
      expect(line, 'examples stay free of shell quoting').not.toMatch(/["'$|&;]/);
      // A fresh server per example: DPDK 22.11's memif server can crash when a client leaves while
      // its forwarding core polls (a race between disconnect and rx), so each one sees one client.
      const socket = uniqueSocketPath('readme');
      const testpmd = await Testpmd.start({
        vdevs: [`net_memif0,role=server,id=0,socket=${socket},socket-abstract=no`],
        appArgs: ['--forward-mode=icmpecho', '--auto-start'],
      });
      try {
        const args = line.replaceAll(README_SOCKET, socket).split(/\s+/).slice(1);
        const result = await runCli(args, 60_000, { cwd: dir });
        expect(result.code, `${line}\n${result.stdout}${result.stderr}`).toBe(0);
      } finally {
        await testpmd.stop();
        removeSocket(socket);
      }
    }
  });
});
