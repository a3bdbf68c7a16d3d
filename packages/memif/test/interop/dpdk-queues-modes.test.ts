import type { Testpmd } from '@memif/test-kit';
import { describe, expect, it } from 'vitest';
import { type MemifInterface, type MemifOptions, type MemifRxMode, ReceiveBatch } from '../../src/index.ts';
import { nextEvent, uniqueSocketPath, waitUntil } from '../helpers.ts';
import { ethernetFrame, payloadIntact, roundTrip } from './ethernet-frames.ts';
import { interopFixtures } from './interop-fixtures.ts';

const { node, testpmd } = interopFixtures();

describe('receive modes against dpdk-testpmd', () => {
  it.each<MemifRxMode>(['interrupt', 'polling', 'adaptive'])(
    '%s mode gets every frame back, with MASK_INT set as the mode says',
    async (rxMode) => {
      const socket = uniqueSocketPath(`mode-${rxMode}`);
      const pmd = await testpmd(`net_memif0,role=server,socket=${socket},socket-abstract=no`, ['--forward-mode=io']);
      const iface = node({ role: 'slave', socket, socketAbstract: false, rxMode, reconnectInterval: 100 });
      await nextEvent(iface, 'connected', 30_000);
      const m2s = iface.details().rings.find((r) => r.direction === 'm2s');
      expect(m2s?.flags).toBe(rxMode === 'polling' ? 1 : 0);
      await pmd.startForwarding();
      const frames = await roundTrip(iface, 3000, () => 128);
      expect(frames).toHaveLength(3000);
      expect(frames.every((frame, seq) => payloadIntact(frame, seq, 128))).toBe(true);
    },
  );
});

describe('adaptive receive mode against dpdk-testpmd', () => {
  it('polls with MASK_INT set while frames come back, asks for interrupts again when idle, and DPDK signals again', async () => {
    const socket = uniqueSocketPath('mode-adaptive-idle');
    const pmd = await testpmd(`net_memif0,role=server,socket=${socket},socket-abstract=no`, ['--forward-mode=io']);
    const iface = node({
      role: 'slave',
      socket,
      socketAbstract: false,
      rxMode: 'adaptive',
      adaptiveIdleMicroseconds: 500,
      reconnectInterval: 100,
    });
    await nextEvent(iface, 'connected', 30_000);
    await pmd.startForwarding();
    const m2sFlags = (): number => iface.details().rings.find((r) => r.direction === 'm2s')?.flags ?? -1;
    for (let round = 0; round < 3; round++) {
      let maskedWhileReceiving = false;
      const sample = (): void => {
        maskedWhileReceiving ||= (m2sFlags() & 1) === 1;
      };
      iface.on('readable', sample);
      const frames = await roundTrip(iface, 1000, () => 64);
      iface.off('readable', sample);
      expect(frames).toHaveLength(1000);
      expect(frames.every((frame, seq) => payloadIntact(frame, seq, 64))).toBe(true);
      expect(maskedWhileReceiving).toBe(true);
      // Idle: MASK_INT clear again, so the next round only arrives if DPDK signals us again.
      await waitUntil(() => m2sFlags() === 0, 10_000, 'the fall-back to interrupts');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
});

describe('several queue pairs against dpdk-testpmd', () => {
  it.each(['master', 'slave'] as const)('Node %s with 2 queue pairs: every queue carries frames both ways', async (role) => {
    const socket = uniqueSocketPath(`queues-${role}`);
    const vdev = `net_memif0,role=${role === 'master' ? 'client' : 'server'},socket=${socket},socket-abstract=no`;
    const options: MemifOptions = { role, socket, socketAbstract: false, rxQueues: 2, txQueues: 2, reconnectInterval: 100 };
    let iface: MemifInterface;
    let pmd: Testpmd;
    if (role === 'master') {
      iface = node(options);
      const up = nextEvent(iface, 'connected', 30_000);
      pmd = await testpmd(vdev, ['--forward-mode=io', '--rxq=2', '--txq=2']);
      await up;
    } else {
      pmd = await testpmd(vdev, ['--forward-mode=io', '--rxq=2', '--txq=2']);
      iface = node(options);
      await nextEvent(iface, 'connected', 30_000);
    }
    expect(iface.rxQueueCount).toBe(2);
    expect(iface.txQueueCount).toBe(2);
    await pmd.startForwarding();
    // testpmd io forwards rx queue q to tx queue q, so what goes out on queue q comes back on q.
    for (const queue of [0, 1]) {
      const frames = Array.from({ length: 100 }, (_, seq) => ethernetFrame(queue * 1000 + seq, 100));
      let sent = 0;
      while (sent < frames.length) sent += iface.txBurst(queue, frames.slice(sent));
    }
    const batch = new ReceiveBatch(64);
    const seen: number[][] = [[], []];
    await waitUntil(
      () => {
        for (const queue of [0, 1]) {
          const n = iface.rxBurst(queue, batch);
          for (let i = 0; i < n; i++) {
            const frame = new Uint8Array(batch.frameLength(i));
            batch.copyFrame(i, frame);
            seen[queue]?.push(new DataView(frame.buffer).getUint32(14, true));
          }
          iface.rxRelease(queue);
        }
        return seen[0]?.length === 100 && seen[1]?.length === 100;
      },
      20_000,
      'frames on both queues',
    );
    expect(seen[0]).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(seen[1]).toEqual(Array.from({ length: 100 }, (_, i) => 1000 + i));
    const details = iface.details();
    expect(details.tx.map((q) => q.packets)).toEqual([100, 100]);
    expect(details.rings.filter((r) => r.direction === 's2m')).toHaveLength(2);
  });
});

describe('interface modes and sockets', () => {
  it('a DPDK server refuses ip mode with its own reason', async () => {
    const socket = uniqueSocketPath('mode-ip');
    await testpmd(`net_memif0,role=server,socket=${socket},socket-abstract=no`, []);
    const iface = node({ role: 'slave', socket, socketAbstract: false, mode: 'ip', reconnectInterval: 60_000 });
    expect(await nextEvent(iface, 'disconnected', 20_000)).toEqual(['Only ethernet mode supported', 'remote']);
  });

  it("meets testpmd on DPDK's default abstract socket /run/memif.sock-style names", async () => {
    const name = `/run/memif-test-${process.pid}.sock`;
    const iface = node({ role: 'master', socket: name });
    const up = nextEvent(iface, 'connected', 30_000);
    await testpmd(`net_memif0,role=client,socket=${name}`, []);
    await up;
    expect(iface.details().socket).toBe(`@${name}`);
  });
});
