import { DpdkPeer, type Testpmd } from '@memif/test-kit';
import { describe, expect, it } from 'vitest';
import type { MemifInterface, MemifOptions } from '../../src/index.ts';
import { nextEvent, socketFileExists, uniqueSocketPath, waitUntil } from '../helpers.ts';
import { DST, payloadIntact, roundTrip, SRC, sendSequence } from './ethernet-frames.ts';
import { interopFixtures } from './interop-fixtures.ts';

const { node, testpmd } = interopFixtures();
const peer = DpdkPeer.fromEnv();

/** Both pairings: Node master with a testpmd client, Node slave with a testpmd server. */
async function pair(role: 'master' | 'slave', extra: { node?: MemifOptions; vdev?: string; appArgs?: string[] } = {}) {
  const socket = uniqueSocketPath(`dpdk-${role}`);
  const vdevRole = role === 'master' ? 'client' : 'server';
  const vdev = `net_memif0,role=${vdevRole},id=0,socket=${socket},socket-abstract=no${extra.vdev ?? ''}`;
  let iface: MemifInterface;
  let pmd: Testpmd;
  if (role === 'master') {
    iface = node({ role: 'master', socket, socketAbstract: false, ...extra.node });
    const up = nextEvent(iface, 'connected', 30_000);
    pmd = await testpmd(vdev, extra.appArgs);
    await up;
  } else {
    pmd = await testpmd(vdev, extra.appArgs);
    iface = node({ role: 'slave', socket, socketAbstract: false, reconnectInterval: 100, ...extra.node });
    await nextEvent(iface, 'connected', 30_000);
  }
  return { iface, pmd, socket };
}

describe.each(['master', 'slave'] as const)(`Node %s against ${peer.label}`, (role) => {
  it('exchanges the names DPDK sends', async () => {
    const { iface, pmd } = await pair(role, { node: { name: 'node0', appName: 'memif-node test' } });
    const details = iface.details();
    expect(details.peerName).toBe(`DPDK ${pmd.version}`);
    expect(details.peerInterfaceName).toBe('net_memif0');
  });

  it('gets every frame back from macswap forwarding, MACs swapped, counts agreeing', async () => {
    const { iface, pmd } = await pair(role, { appArgs: ['--forward-mode=macswap'] });
    await pmd.startForwarding();
    const count = 2000;
    const frames = await roundTrip(iface, count, (seq) => [64, 128, 512, 1024, 1500][seq % 5] ?? 64);
    expect(frames).toHaveLength(count);
    frames.forEach((frame, seq) => {
      expect(payloadIntact(frame, seq, [64, 128, 512, 1024, 1500][seq % 5] ?? 64)).toBe(true);
      expect([...frame.subarray(0, 6)]).toEqual(SRC);
      expect([...frame.subarray(6, 12)]).toEqual(DST);
    });
    const stats = await pmd.portStats(0);
    expect(stats.rxPackets).toBe(count);
    expect(stats.txPackets).toBe(count);
    const details = iface.details();
    expect(details.tx[0]?.packets).toBe(count);
    expect(details.rx[0]).toMatchObject({ packets: count, dropped: 0 });
  });

  it('receives what testpmd txonly sends, with 64 and 1500-byte frames', async () => {
    for (const size of [64, 1500]) {
      const { iface, pmd } = await pair(role, { appArgs: ['--forward-mode=txonly', `--txpkts=${size}`] });
      let received = 0;
      let wrongSize = 0;
      const counting = (async () => {
        for await (const frame of iface.frames()) {
          received++;
          if (frame.length !== size) wrongSize++;
        }
      })();
      await pmd.startForwarding();
      await waitUntil(() => received >= 5000, 30_000, 'frames from txonly');
      await pmd.command('stop', /Done\./);
      const stats = await pmd.portStats(0);
      await waitUntil(() => received >= stats.txPackets, 10_000, `all ${stats.txPackets} frames`);
      expect(received).toBe(stats.txPackets);
      expect(wrongSize).toBe(0);
      await iface.close();
      await counting;
      await pmd.stop();
    }
  });

  it('delivers what it sends to testpmd rxonly, chained frames included', async () => {
    const { iface, pmd } = await pair(role, { appArgs: ['--forward-mode=rxonly'], node: { bufferSize: 1024 } });
    await pmd.startForwarding();
    const count = 3000;
    await sendSequence(iface, count, (seq) => (seq % 3 === 0 ? 1500 : 64));
    await waitUntil(() => (iface.details().tx[0]?.packets ?? 0) === count);
    let stats = await pmd.portStats(0);
    for (let tries = 0; stats.rxPackets < count && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      stats = await pmd.portStats(0);
    }
    expect(stats.rxPackets).toBe(count);
    expect(stats.rxBytes).toBe(1000 * 1500 + 2000 * 64);
  });

  it('keeps chained and single frames intact through io forwarding with 1024-byte buffers (stale NEXT flags of DPDK 22.11)', async () => {
    const { iface, pmd } = await pair(role, { appArgs: ['--forward-mode=io'], node: { bufferSize: 1024 }, vdev: ',bsize=1024' });
    await pmd.startForwarding();
    const count = 1200;
    // 1500-byte frames first leave NEXT set on first slots; then 64-byte frames reuse them.
    const length = (seq: number): number => (seq < 400 ? 1500 : seq < 800 ? 64 : seq % 2 === 0 ? 1500 : 64);
    const frames = await roundTrip(iface, count, length);
    expect(frames).toHaveLength(count);
    const broken = frames.filter((frame, seq) => !payloadIntact(frame, seq, length(seq)));
    expect(broken).toHaveLength(0);
  });
});

describe('Node master against a dpdk-testpmd client with its own sizes', () => {
  it('reports in details() the ring and buffer sizes the client chose', async () => {
    const { iface } = await pair('master', { node: { log2RingSize: 12, bufferSize: 2048 }, vdev: ',rsize=4,bsize=1024' });
    const details = iface.details();
    expect(details).toMatchObject({ log2RingSize: 4, bufferSize: 1024 });
    expect(details.rings.map((ring) => ring.ringSize)).toEqual(details.rings.map(() => 16));
  });
});

describe('refusals from dpdk-testpmd', () => {
  it('reports "Incorrect secret" from a testpmd server, and "ID not found"', async () => {
    const socket = uniqueSocketPath('dpdk-refuse');
    await testpmd(`net_memif0,role=server,id=4,socket=${socket},socket-abstract=no,secret=sesame`);
    const wrong = node({ role: 'slave', id: 4, socket, socketAbstract: false, secret: 'open', reconnectInterval: 60_000 });
    expect(await nextEvent(wrong, 'disconnected', 20_000)).toEqual(['Incorrect secret', 'remote']);
    await wrong.close();
    const unknown = node({ role: 'slave', id: 5, socket, socketAbstract: false, reconnectInterval: 60_000 });
    expect(await nextEvent(unknown, 'disconnected', 20_000)).toEqual(['ID not found', 'remote']);
  });

  it('unlinks the socket file when the Node master closes, as DPDK does', async () => {
    const { iface, socket } = await pair('master');
    expect(socketFileExists(socket)).toBe(true);
    await iface.close();
    expect(socketFileExists(socket)).toBe(false);
  });
});
