// Our master against a slave that completed the handshake honestly and then abuses the shared
// memory: indices out of range, random descriptors, endless chains, bad posted buffers, interrupt
// storms, an abrupt close, an unsealed region. No crash, the problem reported, nothing leaked,
// the healthy pair unharmed.

import { MsgType } from '@memif/protocol';
import { DescFlag, ReceiveBatch } from '@memif/ring';
import { HostileSlave, interruptStorm } from '@memif/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemifInterface } from '../../src/index.ts';
import { nextEvent, waitUntil } from '../helpers.ts';
import { expectReleased, HealthyPair, onCleanup, resources, victimMaster } from './fixture.ts';

let healthy: HealthyPair;

beforeAll(async () => {
  healthy = await HealthyPair.start();
}, 30_000);

afterAll(() => healthy.stop());

/** A victim master connected to a hostile slave that played fair so far. */
async function connected(
  label: string,
  options: Parameters<typeof victimMaster>[1] = {},
  master = victimMaster(label, { id: 1, ...options }),
): Promise<{ master: ReturnType<typeof victimMaster>; peer: HostileSlave }> {
  const peer = await HostileSlave.connect({ path: master.socket });
  onCleanup(() => peer.close());
  await peer.handshake({ id: 1 }, { log2RingSize: 6 });
  await waitUntil(() => master.connected, 2000, 'the master to connect');
  return { master, peer };
}

/** What the application does: receive and release everything there is, copying each frame. */
function drain(master: MemifInterface, batch = new ReceiveBatch(64)): number {
  let frames = 0;
  for (let n = master.rxBurst(0, batch); n > 0; n = master.rxBurst(0, batch)) {
    for (let i = 0; i < n; i++) batch.copyFrame(i, new Uint8Array(batch.frameLength(i)));
    frames += n;
    master.rxRelease(0);
  }
  return frames;
}

/** A seeded xorshift, so a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

describe('our master against a hostile slave, after connecting', () => {
  it('disconnects with a reason when the slave moves head beyond the ring size', async () => {
    const { master, peer } = await connected('headjump');
    const disconnected = nextEvent<[string, string]>(master, 'disconnected', 2000);
    peer.rings.s2m[0]?.storeHead(1000);
    peer.eventfds.s2m[0]?.write(1);
    const [reason, by] = await disconnected;
    expect(reason).toBe('Ring index out of range on rx ring 0');
    expect(by).toBe('local');
    const last = await peer.control.next(2000);
    expect(last.kind === 'msg' && last.msg.type === MsgType.Disconnect && last.msg.reason).toBe(reason);
    expect(master.details().rx[0]?.badIndex).toBeGreaterThan(0);
    await healthy.exchange();
  });

  it('disconnects when head moves backwards past what we hold (tail passes head)', async () => {
    const { master, peer } = await connected('headback', { rxMode: 'polling' });
    const tx = peer.transmitter();
    expect(tx.transmit([new Uint8Array(60), new Uint8Array(60)])).toBe(2);
    await waitUntil(() => master.rxBurst(0, new ReceiveBatch(8)) === 2, 2000, 'two frames held');
    const disconnected = nextEvent<[string]>(master, 'disconnected', 2000);
    peer.rings.s2m[0]?.storeHead(1);
    expect((await disconnected)[0]).toBe('Ring index out of range on rx ring 0');
    await healthy.exchange();
  });

  it('counts and drops random descriptors (region, offset, length, flags) and stays up', async () => {
    const { master, peer } = await connected('randdesc');
    const ring = peer.rings.s2m[0];
    if (ring === undefined) throw new Error('no ring');
    const next = random(0xc0ffee);
    const region0 = peer.regions[0]?.byteLength ?? 0;
    const pick = (): number => {
      const r = next();
      if (r < 0.2) return Math.floor(next() * 0x1_0000_0000);
      if (r < 0.4) return region0 - Math.floor(next() * 4096);
      return Math.floor(next() * region0);
    };
    let head = 0;
    const batch = new ReceiveBatch(64);
    for (let round = 0; round < 100; round++) {
      for (let k = 0; k < ring.size; k++) {
        const last = k === ring.size - 1;
        const flags = last ? 0 : next() < 0.3 ? DescFlag.Next : next() < 0.05 ? 0xfffe : 0;
        const region = next() < 0.85 ? 0 : Math.floor(next() * 65536);
        const length = next() < 0.1 ? 0 : next() < 0.3 ? pick() : Math.floor(next() * 3000);
        ring.writeDesc((head + k) & ring.mask, flags, region, length, pick());
      }
      head = (head + ring.size) & 0xffff;
      ring.storeHead(head);
      peer.eventfds.s2m[0]?.write(1);
      await waitUntil(
        () => {
          drain(master, batch);
          return ring.loadTail() === head;
        },
        2000,
        'the master to consume a round',
      );
    }
    const rx = master.details().rx[0];
    expect(master.connected).toBe(true);
    expect(rx?.dropped).toBeGreaterThan(0);
    expect((rx?.badRegion ?? 0) + (rx?.badOffset ?? 0) + (rx?.badLength ?? 0) + (rx?.zeroLength ?? 0)).toBe(rx?.dropped);
    await healthy.exchange();
  });

  it('drops an endless chain (NEXT on every slot, round the whole ring) as chainTooLong', async () => {
    const { master, peer } = await connected('chain', { rxMode: 'polling' });
    const ring = peer.rings.s2m[0];
    if (ring === undefined) throw new Error('no ring');
    // Half a ring of NEXT: incomplete, so it waits; then the rest, still NEXT: a chain that never
    // ends and wraps onto the slots it started from.
    for (let k = 0; k < ring.size; k++) ring.writeDesc(k, DescFlag.Next, 0, 64, 0);
    ring.storeHead(ring.size / 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(drain(master)).toBe(0);
    ring.storeHead(ring.size);
    await waitUntil(
      () => {
        drain(master);
        return (master.details().rx[0]?.chainTooLong ?? 0) > 0;
      },
      2000,
      'chainTooLong',
    );
    expect(ring.loadTail()).toBe(ring.size);
    // The ring works again: the chain's last slot said NEXT, so the next slot still belongs to
    // it and is dropped with it; the one after is an honest frame.
    for (let k = 0; k < ring.size; k++) ring.writeDesc(k, 0, 0, 64, 0);
    ring.storeHead(ring.size + 2);
    await waitUntil(() => drain(master) === 1, 2000, 'an honest frame after the chain');
    expect(master.details().rx[0]).toMatchObject({ chainTooLong: 1, dropped: 1 });
    expect(master.connected).toBe(true);
    await healthy.exchange();
  });

  for (const [name, post] of [
    ['an unknown region', { region: 9, offset: 0, length: 2048 }],
    ['an offset past the region', { region: 0, offset: 0xffff_f000, length: 2048 }],
    ['a zero capacity', { region: 0, offset: 0, length: 0 }],
  ] as const) {
    it(`disconnects when the slave posts a buffer with ${name}`, async () => {
      const { master, peer } = await connected('badpost');
      const ring = peer.rings.m2s[0];
      if (ring === undefined) throw new Error('no ring');
      for (let k = 0; k < ring.size; k++) ring.writeDesc(k, 0, post.region, post.length, post.offset);
      ring.storeHead(ring.size);
      const disconnected = nextEvent<[string]>(master, 'disconnected', 2000);
      expect(master.trySend(new Uint8Array(64))).toBe(false);
      expect((await disconnected)[0]).toBe('Bad posted slot on tx ring 0');
      await expect(master.send(new Uint8Array(64))).rejects.toMatchObject({ code: 'ERR_MEMIF_NOT_CONNECTED' });
      await healthy.exchange();
    });
  }

  it('disconnects when the slave posts more buffers than the ring holds', async () => {
    const { master, peer } = await connected('postjump');
    peer.rings.m2s[0]?.storeHead(5000);
    const disconnected = nextEvent<[string]>(master, 'disconnected', 2000);
    expect(master.trySend(new Uint8Array(64))).toBe(false);
    expect((await disconnected)[0]).toBe('Ring index out of range on tx ring 0');
    await healthy.exchange();
  });

  it('survives an interrupt storm on its receive ring while the pair beside it works', async () => {
    const { master, peer } = await connected('storm');
    const eventfd = peer.eventfds.s2m[0];
    if (eventfd === undefined) throw new Error('no eventfd');
    const [writes] = await Promise.all([interruptStorm(eventfd, 1000), healthy.exchange(200)]);
    expect(writes).toBeGreaterThan(1000);
    expect(master.connected).toBe(true);
    const tx = peer.transmitter();
    expect(tx.transmit([new Uint8Array(64)])).toBe(1);
    eventfd.write(1);
    await waitUntil(() => drain(master) === 1, 2000, 'a frame after the storm');
  });

  it('notices an abrupt close mid-traffic and releases everything of the connection', async () => {
    const victim = victimMaster('abrupt', { id: 1 });
    const before = resources();
    const { master, peer } = await connected('abrupt', {}, victim);
    const tx = peer.transmitter();
    for (let i = 0; i < 10; i++) tx.transmit([new Uint8Array(1000), new Uint8Array(60)]);
    const disconnected = nextEvent<[string, string]>(master, 'disconnected', 1000);
    const closedAt = Date.now();
    peer.close();
    const [reason, by] = await disconnected;
    expect(Date.now() - closedAt).toBeLessThan(1000);
    expect(by).toBe('remote');
    expect(reason).toMatch(/closed by peer|control socket/);
    await expectReleased(before);
    expect(master.state).toBe('listening');
    await healthy.exchange();
  });

  it('reports an unsealed region in details() and accepts it by default from a peer of our own uid', async () => {
    const master = victimMaster('unsealed', { id: 1 });
    const peer = await HostileSlave.connect({ path: master.socket });
    onCleanup(() => peer.close());
    await peer.handshake({ id: 1 }, { log2RingSize: 6, sealed: false });
    await waitUntil(() => master.connected, 2000, 'the master to connect');
    expect(master.details().regions[0]).toMatchObject({ index: 0, sealedAgainstShrink: false, seals: 0 });
  });

  it('with requireSealedRegions, refuses an unsealed region, and a later shrink cannot hurt', async () => {
    const master = victimMaster('sealreq', { id: 1, requireSealedRegions: true });
    const before = resources();
    const peer = await HostileSlave.connect({ path: master.socket });
    onCleanup(() => peer.close());
    await peer.readHello();
    peer.build({ log2RingSize: 6, sealed: false });
    const last = await peer.sendLockStep(peer.outgoing({ id: 1 }), 2000);
    expect(last.kind === 'msg' && last.msg.type === MsgType.Disconnect && last.msg.reason).toBe('Region 0 is not sealed against shrinking');
    peer.shrinkRegion(0, 4096);
    await waitUntil(() => master.errors.length > 0, 2000, 'an error event');
    expect(master.errors[0]).toMatchObject({ code: 'ERR_MEMIF_PEER' });
    expect(master.errors[0]?.message).toMatch(/not sealed against shrinking/);
    peer.close();
    await expectReleased(before);
    await healthy.exchange();
  });
});
