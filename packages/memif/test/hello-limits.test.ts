// What our master announces in HELLO, and what slaves make of it (issue #19): the ring maxima are
// the highest indices our interfaces take, so a slave that honours HELLO adapts its counts, and
// one that ignores HELLO is refused with the reason.
import { HostileSlave } from '@memif/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { createInterface, type MemifInterface, type MemifOptions } from '../src/index.ts';
import { nextEvent, uniqueSocketPath } from './helpers.ts';
import { Peer } from './peer/spawn-peer.ts';

const cleanups: Array<() => unknown> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function master(options: MemifOptions): MemifInterface {
  const iface = createInterface({ role: 'master', socketAbstract: false, ...options });
  cleanups.push(() => iface.close());
  return iface;
}

async function helloFrom(socket: string): Promise<Awaited<ReturnType<HostileSlave['readHello']>>> {
  const peer = await HostileSlave.connect({ path: socket });
  cleanups.push(() => peer.close());
  return peer.readHello();
}

describe('HELLO from our master', () => {
  it('announces its queue counts as highest ring indices, and the largest log2 ring size it accepts', async () => {
    const socket = uniqueSocketPath('hello-counts');
    master({ socket, rxQueues: 2, txQueues: 3 });
    expect(await helloFrom(socket)).toMatchObject({ maxS2mRing: 1, maxM2sRing: 2, maxLog2RingSize: 15, maxRegion: 255 });
  });

  it('announces 0/0 for one queue pair (the default)', async () => {
    const socket = uniqueSocketPath('hello-default');
    master({ socket });
    expect(await helloFrom(socket)).toMatchObject({ maxS2mRing: 0, maxM2sRing: 0 });
  });

  it('announces the largest counts of the interfaces sharing a socket (HELLO comes before INIT names one)', async () => {
    const socket = uniqueSocketPath('hello-shared');
    master({ socket, id: 0, rxQueues: 1, txQueues: 4 });
    master({ socket, id: 1, rxQueues: 3, txQueues: 1 });
    expect(await helloFrom(socket)).toMatchObject({ maxS2mRing: 2, maxM2sRing: 3 });
  });

  it('refuses a slave that ignores HELLO and offers more rings, with the reason on both sides', async () => {
    const socket = uniqueSocketPath('hello-ignored');
    const iface = master({ socket, id: 0, rxQueues: 1, txQueues: 4 });
    master({ socket, id: 1, rxQueues: 2, txQueues: 1 });
    const refused = nextEvent<[Error]>(iface, 'error');
    const peer = await HostileSlave.connect({ path: socket });
    cleanups.push(() => peer.close());
    await peer.readHello();
    // The socket takes 2 S2M rings (interface 1), interface 0 only one.
    peer.build({ numS2mRings: 2, numM2sRings: 1 });
    const last = await peer.sendLockStep(peer.outgoing({ id: 0 }));
    const reason = 'Invalid ring index: S2M ring 1, the master has 1 rx queue';
    expect(last).toMatchObject({ kind: 'msg', msg: { reason } });
    const [error] = await refused;
    expect(error.message).toContain(reason);
  });
});

describe('a Node slave against a Node master (two processes)', () => {
  it.each([
    ['more queues than announced: it adapts down and connects', { rxQueues: 4, txQueues: 4 }, { rx: 2, tx: 1 }],
    ['fewer queues: it connects with its own counts', { rxQueues: 1, txQueues: 1 }, { rx: 1, tx: 1 }],
  ])('%s', async (_, slaveQueues, expected) => {
    const socket = uniqueSocketPath('hello-node');
    const iface = master({ socket, rxQueues: 1, txQueues: 2 });
    const connected = nextEvent(iface, 'connected', 20_000);
    const peer = new Peer({ role: 'slave', socket, socketAbstract: false, reconnectInterval: 100, ...slaveQueues });
    cleanups.push(() => peer.kill());
    await connected;
    // The master's rx queues are the slave's tx queues (S2M rings), and the other way round.
    expect({ rx: iface.rxQueueCount, tx: iface.txQueueCount }).toEqual({
      rx: Math.min(1, slaveQueues.txQueues),
      tx: Math.min(2, slaveQueues.rxQueues),
    });
    const details = (await peer.request({ type: 'details' }, 'details')).details as { rings: Array<{ direction: string }> };
    expect(details.rings.filter((r) => r.direction === 'm2s')).toHaveLength(expected.rx);
    expect(details.rings.filter((r) => r.direction === 's2m')).toHaveLength(expected.tx);
  });
});
