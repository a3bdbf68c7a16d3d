// Descriptor sizes against the DPDK under test. DPDK >= 23.03 copies each received descriptor into
// one 2048-byte mbuf unchecked (spec 7.3) and, as master, writes whole mbuf segments into slots
// whatever their posted size (spec 7.4); 22.11 does neither. Tests whose outcome depends on that
// say which versions they are for in their name and are chosen by the version the peer reports.
import { DpdkPeer, type Testpmd } from '@memif/test-kit';
import { describe, expect, it } from 'vitest';
import type { MemifInterface, MemifOptions } from '../../src/index.ts';
import { nextEvent, uniqueSocketPath, waitUntil } from '../helpers.ts';
import { payloadIntact, roundTrip, sendSequence } from './ethernet-frames.ts';
import { interopFixtures } from './interop-fixtures.ts';

const { node, testpmd } = interopFixtures();
const peer = DpdkPeer.fromEnv();
const fastPaths = peer.atLeast(23, 3);

/** A testpmd server (`vdevExtra` appended) and our slave connected to it. */
async function slaveOf(appArgs: string[], options: MemifOptions, vdevExtra = ''): Promise<{ iface: MemifInterface; pmd: Testpmd }> {
  const socket = uniqueSocketPath('dpdk-segments');
  const pmd = await testpmd(`net_memif0,role=server,id=0,socket=${socket},socket-abstract=no${vdevExtra}`, appArgs);
  const iface = node({ role: 'slave', socket, socketAbstract: false, reconnectInterval: 100, ...options });
  await nextEvent(iface, 'connected', 30_000);
  return { iface, pmd };
}

/**
 * Fails with the peer's own output when testpmd died while our link was up: that is a crash of
 * DPDK caused by what we sent, not one of ours, and not the disconnect-time crash of DPDK's own
 * memif_disconnect (which can only happen after we leave). `graceMs`: how long to wait for the
 * process to go when our side has already seen the link drop.
 */
async function expectPeerAlive(pmd: Testpmd, graceMs = 0): Promise<void> {
  if (await pmd.endsWithin(graceMs)) {
    throw new Error(
      `dpdk-testpmd (${peer.label}) ended while our link was up (${pmd.signalCode ?? 'exit'}); its output ends:\n${pmd.output.slice(-2000)}`,
    );
  }
}

/** Runs `work` (which talks to the peer); if it fails because the peer died, says so. */
async function peerMustSurvive<T>(pmd: Testpmd, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    await expectPeerAlive(pmd, 3000);
    throw error;
  }
}

async function rxStatsReaching(pmd: Testpmd, count: number): Promise<{ rxPackets: number; rxBytes: number; rxErrors: number }> {
  let stats = await pmd.portStats(0);
  for (let tries = 0; stats.rxPackets < count && tries < 100 && pmd.running; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    stats = await pmd.portStats(0);
  }
  return stats;
}

/**
 * testpmd txonly sends 1500-byte frames into our slave with 1024-byte buffers; every frame must
 * arrive whole (chained), with nothing dropped and no warning.
 */
async function expectWholeFramesFromTxonly(vdevExtra: string): Promise<void> {
  const { iface, pmd } = await slaveOf(['--forward-mode=txonly', '--txpkts=1500'], { bufferSize: 1024 }, vdevExtra);
  const warnings: string[] = [];
  iface.on('warning', ({ message }) => warnings.push(message));
  let received = 0;
  let wrongSize = 0;
  const counting = (async () => {
    for await (const frame of iface.frames()) {
      received++;
      if (frame.length !== 1500) wrongSize++;
    }
  })();
  await pmd.startForwarding();
  await peerMustSurvive(
    pmd,
    waitUntil(() => received >= 2000, 30_000, 'frames from txonly'),
  );
  await pmd.command('stop', /Done\./);
  await expectPeerAlive(pmd);
  expect(wrongSize).toBe(0);
  expect(iface.details().rx[0]?.badLength).toBe(0);
  expect(warnings).toEqual([]);
  await iface.close();
  await counting;
}

describe(`slave descriptors against ${peer.label}`, () => {
  it.each([4096, 9000])(
    'a Node slave with bufferSize %i sends 8000-byte frames into a server in rxonly, which counts every one without crashing',
    async (bufferSize) => {
      const { iface, pmd } = await slaveOf(['--forward-mode=rxonly'], { bufferSize });
      await pmd.startForwarding();
      const count = 2000;
      await peerMustSurvive(pmd, sendSequence(iface, count, 8000));
      const stats = await rxStatsReaching(pmd, count);
      await expectPeerAlive(pmd);
      expect(stats).toMatchObject({ rxPackets: count, rxBytes: count * 8000, rxErrors: 0 });
      expect(iface.details().tx[0]?.packets).toBe(count);
    },
  );

  it('8000-byte frames from a slave with bufferSize 4096 come back intact through macswap forwarding', async () => {
    const { iface, pmd } = await slaveOf(['--forward-mode=macswap'], { bufferSize: 4096 });
    await pmd.startForwarding();
    const count = 500;
    const frames = await peerMustSurvive(
      pmd,
      roundTrip(iface, count, () => 8000, 64),
    );
    await expectPeerAlive(pmd);
    expect(frames).toHaveLength(count);
    expect(frames.filter((frame, seq) => !payloadIntact(frame, seq, 8000))).toHaveLength(0);
  });

  if (fastPaths) {
    it('DPDK >= 23.03 as master ignores the 1024 bytes a slave posts: 1500-byte frames are dropped, and the user is told once how to fix it', async () => {
      const { iface, pmd } = await slaveOf(['--forward-mode=txonly', '--txpkts=1500'], { bufferSize: 1024, rxMode: 'polling' });
      const warnings: string[] = [];
      iface.on('warning', ({ message }) => warnings.push(message));
      let received = 0;
      const counting = (async () => {
        for await (const _frame of iface.frames()) received++;
      })();
      await pmd.startForwarding();
      await peerMustSurvive(
        pmd,
        waitUntil(() => (iface.details().rx[0]?.badLength ?? 0) >= 100, 30_000, 'oversize descriptors'),
      );
      await pmd.command('stop', /Done\./);
      await expectPeerAlive(pmd);
      expect(received).toBe(0);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/a 1500-byte descriptor into a 1024-byte buffer/);
      expect(iface.details().warnings).toEqual(warnings);
      await iface.close();
      await counting;
    });

    it('DPDK >= 23.03 as master honours the posted size again when its own bsize is below its mbuf size (bsize=1024): 1500-byte frames arrive whole', async () => {
      await expectWholeFramesFromTxonly(',bsize=1024');
    });
  } else {
    it('DPDK < 23.03 as master honours the 1024 bytes a slave posts: 1500-byte frames arrive whole, chained, with no warning', async () => {
      await expectWholeFramesFromTxonly('');
    });
  }
});
