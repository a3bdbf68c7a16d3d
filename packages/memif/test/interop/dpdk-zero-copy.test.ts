import { DpdkPeer } from '@memif/test-kit';
import { describe, expect, it } from 'vitest';
import { nextEvent, uniqueSocketPath, waitUntil } from '../helpers.ts';
import { ethernetFrame, payloadIntact, roundTrip } from './ethernet-frames.ts';
import { interopFixtures } from './interop-fixtures.ts';

const { node, testpmd } = interopFixtures();

describe(`zero-copy against ${DpdkPeer.fromEnv().label}`, () => {
  it('a Node zero-copy slave exchanges frames with a testpmd server, through its pool', async () => {
    const socket = uniqueSocketPath('zc-slave');
    const pmd = await testpmd(`net_memif0,role=server,socket=${socket},socket-abstract=no`, ['--forward-mode=macswap']);
    const iface = node({ role: 'slave', socket, socketAbstract: false, zeroCopy: true, reconnectInterval: 100 });
    await nextEvent(iface, 'connected', 30_000);
    const details = iface.details();
    expect(details.regions).toHaveLength(2);
    expect(details.regions[0]?.size).toBe(2 * (128 + 16 * 1024));
    await pmd.startForwarding();
    const length = (seq: number): number => [64, 1500, 2048][seq % 3] ?? 64;
    const frames = await roundTrip(iface, 1500, length);
    expect(frames).toHaveLength(1500);
    expect(frames.every((frame, seq) => payloadIntact(frame, seq, length(seq)))).toBe(true);
  });

  it('transmits frames built in pool buffers without copying them, and gets the buffers back', async () => {
    const socket = uniqueSocketPath('zc-pool');
    const pmd = await testpmd(`net_memif0,role=server,socket=${socket},socket-abstract=no`, ['--forward-mode=rxonly']);
    const iface = node({ role: 'slave', socket, socketAbstract: false, zeroCopy: true, reconnectInterval: 100 });
    await nextEvent(iface, 'connected', 30_000);
    await pmd.startForwarding();
    const pool = iface.pool;
    if (pool === undefined) throw new Error('a zero-copy slave has a pool once connected');
    const before = pool.available;
    const count = 4000;
    const indices = new Int32Array(32);
    const lengths = new Uint32Array(32);
    let sent = 0;
    while (sent < count) {
      let n = 0;
      for (; n < 32 && sent + n < count; n++) {
        const buffer = pool.alloc();
        if (buffer < 0) break;
        pool.view(buffer).set(ethernetFrame(sent + n, 256).subarray(0, 256));
        indices[n] = buffer;
        lengths[n] = 256;
      }
      const out = iface.txPooledBurst(0, indices, lengths, n);
      for (let i = out; i < n; i++) pool.free(indices[i] ?? -1);
      sent += out;
      if (out < n) await new Promise((resolve) => setImmediate(resolve));
    }
    await waitUntil(
      () => {
        iface.reclaim();
        return pool.available === before;
      },
      10_000,
      'pool buffers to return',
    );
    expect(pool.available).toBe(before);
    const stats = await pmd.portStats(0);
    expect(stats.rxPackets).toBe(count);
    expect(stats.rxBytes).toBe(count * 256);
  });

  it('a Node master maps the memseg region of a testpmd zero-copy client and forwards through it', async () => {
    const socket = uniqueSocketPath('zc-master');
    const iface = node({ role: 'master', socket, socketAbstract: false });
    const up = nextEvent(iface, 'connected', 30_000);
    const pmd = await testpmd(
      `net_memif0,role=client,socket=${socket},socket-abstract=no,zero-copy=yes`,
      ['--forward-mode=macswap'],
      ['--single-file-segments'],
    );
    await up;
    const details = iface.details();
    expect(details.regions).toHaveLength(2);
    // DPDK seals only region 0; its memseg region can shrink, which details() reports.
    expect(details.regions[0]?.sealedAgainstShrink).toBe(true);
    expect(details.regions[1]?.sealedAgainstShrink).toBe(false);
    await pmd.startForwarding();
    const length = (seq: number): number => [64, 1500][seq % 2] ?? 64;
    const frames = await roundTrip(iface, 1000, length, 64);
    expect(frames).toHaveLength(1000);
    expect(frames.every((frame, seq) => payloadIntact(frame, seq, length(seq)))).toBe(true);
  });
});
