// --rxq/--txq, as testpmd's: a server announces them in HELLO, and the commands read every rx queue.
import { createInterface } from '@memif/memif';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from './cleanups-after-each.ts';
import { captureServer, runCli } from './cli-process.ts';

describe('memif commands with several queues', { timeout: 90_000 }, () => {
  const cleanups = cleanupsAfterEach();

  it('a server announces --rxq/--txq in HELLO, and capture reads frames sent on queue 1', async () => {
    const { socket, capture } = await captureServer(cleanups, 'queues', [
      '--rxq',
      '2',
      '--txq',
      '3',
      '--connect-timeout',
      '60',
      '-c',
      '5',
      '--quiet',
    ]);
    const hello = await runCli(['inspect', socket]);
    expect(hello.stdout).toContain('max m2s ring index  2 (up to 3 server-to-client queues)');
    expect(hello.stdout).toContain('max s2m ring index  1 (up to 2 client-to-server queues)');
    // A client asking for 4 queues each way adapts to what HELLO announced.
    const client = createInterface({ role: 'client', socket, socketAbstract: false, rxQueues: 4, txQueues: 4, reconnectInterval: 100 });
    cleanups.push(() => client.close());
    const frame = new Uint8Array(60).fill(0xcd);
    const deadline = Date.now() + 30_000;
    while (capture.stderr.match(/frames captured/) === null && Date.now() < deadline) {
      if (client.connected) {
        expect([client.txQueueCount, client.rxQueueCount]).toEqual([2, 3]);
        client.txBurst(1, [frame]);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const result = await capture.result(10_000);
    expect(result.stderr).toMatch(/^5 frames captured/m);
    expect(result.code).toBe(0);
  });
});
