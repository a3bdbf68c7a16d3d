// Our master against a slave that attacks through what it shares with us rather than through
// messages: a region over 4 GiB, a region it can shrink, interrupt eventfds it makes blocking,
// empties or fills. Nothing of ours may crash, block or spin: each case checks that a timer
// keeps firing during and after the attack and that the healthy pair beside it keeps working.

import { MsgType } from '@memif/protocol';
import { ReceiveBatch } from '@memif/ring';
import { EventFd, Mapping } from '@memif/shm-native';
import { fillCounter, HostileSlave, makeBlocking, type Outgoing } from '@memif/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../helpers.ts';
import {
  expectReleased,
  HealthyPair,
  LoopMonitor,
  onCleanup,
  resources,
  stealSignals,
  UNFREEZE_AFTER_MS,
  unfreezer,
  victimMaster,
} from './fixture.ts';

const NOBODY = 65534;
const FOUR_GIB = 2 ** 32;
/** Longest timer gap we accept on a loaded machine; a blocked syscall shows UNFREEZE_AFTER_MS. */
const MAX_GAP_MS = UNFREEZE_AFTER_MS / 2;

let healthy: HealthyPair;
/** Process warnings about unsealed regions, from the first test on (they come once per process). */
const unsealedWarnings: Error[] = [];
const onWarning = (warning: Error): void => {
  if ((warning as { code?: string }).code === 'MEMIF_UNSEALED_REGION') unsealedWarnings.push(warning);
};

beforeAll(async () => {
  process.on('warning', onWarning);
  healthy = await HealthyPair.start();
}, 30_000);

afterAll(() => {
  process.off('warning', onWarning);
  return healthy.stop();
});

/** A hostile slave connected to `path`, whose control socket carries `uid` as its SO_PEERCRED. */
async function connectAs(uid: number, path: string): Promise<HostileSlave> {
  // SO_PEERCRED records the effective uid at connect(2), which HostileSlave.connect makes
  // before its first await.
  const seteuid = process.seteuid as (id: number) => void;
  seteuid(uid);
  let pending: Promise<HostileSlave>;
  try {
    pending = HostileSlave.connect({ path });
  } finally {
    seteuid(0);
  }
  const peer = await pending;
  onCleanup(() => peer.close());
  return peer;
}

/** The victim master and a hostile slave that completed the handshake honestly. */
async function connected(label: string): Promise<{ master: ReturnType<typeof victimMaster>; peer: HostileSlave }> {
  const master = victimMaster(label, { id: 1 });
  const peer = await HostileSlave.connect({ path: master.socket });
  onCleanup(() => peer.close());
  await peer.handshake({ id: 1 }, { log2RingSize: 6 });
  await waitUntil(() => master.connected, 2000, 'the master to connect');
  return { master, peer };
}

async function stillFine(monitor: LoopMonitor): Promise<void> {
  await monitor.turns(5);
  expect(monitor.maxGapMs).toBeLessThan(MAX_GAP_MS);
  await healthy.exchange();
}

describe('regions', () => {
  it('refuses a sealed sparse region of 4 GiB + 4 KiB over the runtime limit, with a reason, or maps it within it', async () => {
    const monitor = new LoopMonitor();
    const master = victimMaster('huge', { id: 1 });
    const before = resources();
    const peer = await HostileSlave.connect({ path: master.socket });
    onCleanup(() => peer.close());
    await peer.readHello();
    peer.build({ log2RingSize: 6, padding: FOUR_GIB + 4096 });
    const size = peer.memories[0]?.size() ?? 0;
    expect(size).toBeGreaterThan(FOUR_GIB);
    const last = await peer.sendLockStep(peer.outgoing({ id: 1 }), 5000);
    if (size > Mapping.maxLength) {
      expect(last.kind === 'msg' && last.msg.type === MsgType.Disconnect && last.msg.reason).toBe(
        `Region 0 is ${size} bytes, over this runtime's ${Mapping.maxLength}-byte mapping limit`,
      );
      await waitUntil(() => master.errors.length > 0, 2000, 'an error event');
      expect(master.errors[0]?.message).toMatch(/mapping limit/);
      peer.close();
      await expectReleased(before);
    } else {
      expect(last.kind === 'msg' && last.msg.type).toBe(MsgType.Connected);
      await waitUntil(() => master.connected, 2000, 'the master to connect');
      expect(master.details().regions[0]?.size).toBe(size);
    }
    await stillFine(monitor);
  });

  it('refuses an unsealed region from a peer of another uid by default, naming the uid', async () => {
    const monitor = new LoopMonitor();
    const master = victimMaster('foreign', { id: 1, socketMode: 0o666 });
    const before = resources();
    const peer = await connectAs(NOBODY, master.socket);
    await peer.readHello();
    peer.build({ log2RingSize: 6, sealed: false });
    const last = await peer.sendLockStep(peer.outgoing({ id: 1 }), 2000);
    expect(last.kind === 'msg' && last.msg.type === MsgType.Disconnect && last.msg.reason).toBe(
      `Region 0 is not sealed against shrinking (peer uid ${NOBODY} is not ours)`,
    );
    // What the refusal protects against: the shrink now hits only the peer's own mapping.
    peer.shrinkRegion(0, 4096);
    peer.close();
    await expectReleased(before);
    await stillFine(monitor);
  });

  it('maps a sealed region from a peer of another uid', async () => {
    const master = victimMaster('foreignsealed', { id: 1, socketMode: 0o666 });
    const peer = await connectAs(NOBODY, master.socket);
    await peer.handshake({ id: 1 }, { log2RingSize: 6 });
    await waitUntil(() => master.connected, 2000, 'the master to connect');
    expect(master.details().regions[0]?.sealedAgainstShrink).toBe(true);
  });

  it('maps an unsealed region from another uid when told to (unsealedRegions: accept)', async () => {
    const master = victimMaster('foreignaccept', { id: 1, socketMode: 0o666, unsealedRegions: 'accept' });
    const peer = await connectAs(NOBODY, master.socket);
    await peer.handshake({ id: 1 }, { log2RingSize: 6, sealed: false });
    await waitUntil(() => master.connected, 2000, 'the master to connect');
    expect(master.details().regions[0]?.sealedAgainstShrink).toBe(false);
  });

  it('maps an unsealed region from a peer of our own uid, and has warned once in this process', async () => {
    for (const label of ['own1', 'own2']) {
      const master = victimMaster(label, { id: 1 });
      const peer = await HostileSlave.connect({ path: master.socket });
      onCleanup(() => peer.close());
      await peer.handshake({ id: 1 }, { log2RingSize: 6, sealed: false });
      await waitUntil(() => master.connected, 2000, 'the master to connect');
      expect(master.details().regions[0]?.sealedAgainstShrink).toBe(false);
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(unsealedWarnings).toHaveLength(1);
    expect(unsealedWarnings[0]?.message).toMatch(/region 0 of peer "hostile-slave", which is not sealed against shrinking/);
  });
});

describe('interrupt eventfds', () => {
  it(
    'never reads its interrupt eventfd: a slave that makes it blocking and steals every signal freezes nothing',
    async () => {
      const { master, peer } = await connected('thief');
      const eventfd = present(peer.eventfds.s2m[0]);
      unfreezer(eventfd.fd);
      const monitor = new LoopMonitor();
      await Promise.all([stealSignals(eventfd.fd, 1500), healthy.exchange(50)]);
      await stillFine(monitor);
      // The interface still works: a frame and one more signal get through.
      expect(peer.transmitter().transmit([new Uint8Array(60)])).toBe(1);
      eventfd.write(1);
      const batch = new ReceiveBatch(8);
      await waitUntil(() => master.rxBurst(0, batch) === 1, 3000, 'the frame');
      master.rxRelease(0);
    },
    2 * UNFREEZE_AFTER_MS,
  );

  it(
    'signals a slave that made its eventfd blocking and filled it, without blocking',
    async () => {
      const { master, peer } = await connected('full');
      const eventfd = present(peer.eventfds.m2s[0]);
      const receiver = peer.receiver();
      receiver.refill();
      fillCounter(eventfd);
      makeBlocking(eventfd);
      const guard = unfreezer(eventfd.fd);
      const monitor = new LoopMonitor();
      // MASK_INT is clear on the slave's M2S ring: each burst signals.
      for (let i = 0; i < 3; i++) expect(master.txBurst(0, [new Uint8Array(60)])).toBe(1);
      expect(guard.fired()).toBe(false);
      await stillFine(monitor);
      expect(master.connected).toBe(true);
      expect(receiver.pending()).toBe(3);
    },
    2 * UNFREEZE_AFTER_MS,
  );

  it('refuses a semaphore eventfd at ADD_RING', async () => {
    const master = victimMaster('semaphore', { id: 1 });
    const semaphore = EventFd.create({ semaphore: true });
    onCleanup(() => semaphore.close());
    const monitor = new LoopMonitor();
    const before = resources();
    const peer = await HostileSlave.connect({ path: master.socket });
    onCleanup(() => peer.close());
    await peer.readHello();
    peer.build({ log2RingSize: 6 });
    const list = peer
      .outgoing({ id: 1 })
      .map((o): Outgoing => (o.msg.type === MsgType.AddRing && o.fd === peer.eventfds.s2m[0]?.fd ? { ...o, fd: semaphore.fd } : o));
    const last = await peer.sendLockStep(list, 2000);
    expect(last.kind === 'msg' && last.msg.type === MsgType.Disconnect && last.msg.reason).toBe('Interrupt fd is a semaphore eventfd');
    peer.close();
    await expectReleased(before);
    await stillFine(monitor);
  });
});

function present<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('the hostile slave has no such eventfd');
  return value;
}
