// Our slave against a master that misbehaves: during the handshake (no HELLO, a wrong or
// truncated one, replies out of order, silence, hang-ups) and after it (indices out of range,
// redirected descriptors, interrupt storms, an abrupt close). No crash, the problem reported,
// the slave reconnecting, nothing leaked, the healthy pair unharmed.

import { encodeMsg, MsgType } from '@memif/protocol';
import {
  fillCounter,
  HostileMaster,
  interruptStorm,
  isSession,
  type MasterSession,
  makeBlocking,
  type ServeOptions,
} from '@memif/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextEvent, uniqueSocketPath, waitUntil } from '../helpers.ts';
import {
  expectReleased,
  HealthyPair,
  iface,
  LoopMonitor,
  onCleanup,
  resources,
  stealSignals,
  UNFREEZE_AFTER_MS,
  unfreezer,
} from './fixture.ts';

let healthy: HealthyPair;

beforeAll(async () => {
  healthy = await HealthyPair.start();
}, 30_000);

afterAll(() => healthy.stop());

function setUp(label: string): { master: HostileMaster; slave: ReturnType<typeof iface> } {
  const socket = uniqueSocketPath(label);
  const master = HostileMaster.listen({ path: socket });
  onCleanup(() => master.close());
  const slave = iface({
    role: 'slave',
    id: 1,
    socket,
    socketAbstract: false,
    handshakeTimeout: 300,
    reconnectInterval: 50,
    log2RingSize: 6,
  });
  return { master, slave };
}

/** Our slave connected to a hostile master that played fair so far. */
async function connected(label: string): Promise<{ slave: ReturnType<typeof iface>; s: MasterSession }> {
  const { master, slave } = setUp(label);
  const s = await session(master);
  onCleanup(() => s.close());
  await waitUntil(() => slave.connected, 2000, 'the slave to connect');
  return { slave, s };
}

async function session(master: HostileMaster, options?: ServeOptions): Promise<MasterSession> {
  const served = await master.serve(options);
  if (!isSession(served)) throw new Error('the handshake did not complete');
  return served;
}

interface HandshakeCase {
  readonly name: string;
  readonly serve: ServeOptions;
  /** The reason our slave reports (in its error event and, when it says one, its DISCONNECT). */
  readonly reason: RegExp;
}

const truncatedHello = encodeMsg({
  type: MsgType.Hello,
  name: 'x',
  minVersion: 0x200,
  maxVersion: 0x200,
  maxRegion: 1,
  maxM2sRing: 1,
  maxS2mRing: 1,
  maxLog2RingSize: 10,
}).subarray(0, 64);

const handshakeCases: HandshakeCase[] = [
  { name: 'never sends HELLO', serve: { noHello: true }, reason: /Handshake timeout after 300 ms/ },
  { name: 'sends a wrong version', serve: { hello: { minVersion: 0x0100, maxVersion: 0x0100 } }, reason: /Incompatible memif version/ },
  { name: 'sends a truncated HELLO', serve: { hello: truncatedHello }, reason: /Invalid message size/ },
  {
    name: 'sends a message of unknown type',
    serve: { hello: Uint8Array.of(77, 0, ...new Uint8Array(126)) },
    reason: /Unknown message type/,
  },
  {
    name: 'answers INIT with CONNECTED',
    serve: { answer: (m) => (m.type === MsgType.Init ? { send: [{ type: MsgType.Connected, ifName: 'x' }] } : 'honest') },
    reason: /Unexpected message/,
  },
  {
    name: 'answers CONNECT with ACK',
    serve: { answer: (m) => (m.type === MsgType.Connect ? { send: [{ type: MsgType.Ack }] } : 'honest') },
    reason: /Unexpected message/,
  },
  {
    name: 'sends HELLO twice',
    serve: {
      answer: (m) =>
        m.type === MsgType.Init
          ? {
              send: [
                {
                  type: MsgType.Hello,
                  name: 'x',
                  minVersion: 0x200,
                  maxVersion: 0x200,
                  maxRegion: 1,
                  maxM2sRing: 1,
                  maxS2mRing: 1,
                  maxLog2RingSize: 10,
                },
              ],
            }
          : 'honest',
    },
    reason: /Unexpected message/,
  },
  {
    name: 'stalls after INIT',
    serve: { answer: (m) => (m.type === MsgType.Init ? 'silent' : 'honest') },
    reason: /Handshake timeout after 300 ms/,
  },
  {
    name: 'stalls before CONNECTED',
    serve: { answer: (m) => (m.type === MsgType.Connect ? 'silent' : 'honest') },
    reason: /Handshake timeout after 300 ms/,
  },
  {
    // libmemif 4.0 on an id it has no interface for: ACK, then close, no DISCONNECT.
    name: 'ACKs INIT and closes at once',
    serve: { answer: (m) => (m.type === MsgType.Init ? { send: [{ type: MsgType.Ack }], thenHangUp: true } : 'honest') },
    reason:
      /master closed the connection right after accepting INIT for id 1 \(.*EPIPE\): most likely it refused the id without giving a reason/,
  },
  {
    name: 'hangs up mid-handshake',
    serve: { answer: (m) => (m.type === MsgType.AddRegion ? 'hangup' : 'honest') },
    reason: /closed by peer/,
  },
  {
    name: 'disconnects mid-handshake',
    serve: {
      answer: (m) => (m.type === MsgType.AddRing ? { send: [{ type: MsgType.Disconnect, code: 7, reason: 'go away' }] } : 'honest'),
    },
    reason: /go away/,
  },
];

describe('our slave against a hostile master, during the handshake', () => {
  for (const c of handshakeCases) {
    it(`survives a master that ${c.name}, and reconnects`, async () => {
      const { master, slave } = setUp('hm');
      const before = resources();
      const ended = await master.serve({ ...c.serve, timeoutMs: 2000 });
      expect(isSession(ended)).toBe(false);
      // A refusal of ours is an error event; an end the master chose is a 'disconnected' event.
      const reported = (): string[] => [...slave.errors.map((e) => e.message), ...slave.disconnects];
      await waitUntil(() => reported().some((r) => c.reason.test(r)), 3000, `a report matching ${c.reason}`);
      expect(slave.errors.every((e) => e.code === 'ERR_MEMIF_PEER')).toBe(true);
      if (!isSession(ended)) ended.control.close();
      // The slave tries again; an honest master now gets it connected.
      const honest = await session(master);
      await waitUntil(() => slave.connected, 3000, 'the slave to reconnect');
      honest.close();
      await waitUntil(() => !slave.connected, 2000, 'the slave to notice the close');
      master.close();
      await expectReleased({ fds: before.fds - 1, maps: before.maps });
      await healthy.exchange();
    });
  }

  it('adapts to a HELLO with limits over the top (65535 rings, log2 255)', async () => {
    const { master, slave } = setUp('limits');
    const s = await session(master, { hello: { maxRegion: 0xffff, maxM2sRing: 0xffff, maxS2mRing: 0xffff, maxLog2RingSize: 255 } });
    onCleanup(() => s.close());
    await waitUntil(() => slave.connected, 2000, 'the slave to connect');
    expect(slave.details().rings.map((r) => r.ringSize)).toEqual([64, 64]);
  });

  it('refuses a HELLO that allows no ring at all (log2 0)', async () => {
    const { master, slave } = setUp('nolimit');
    const ended = await master.serve({ hello: { maxLog2RingSize: 0 }, timeoutMs: 2000 });
    if (isSession(ended)) {
      // Accepting is fine too, as long as the rings are usable.
      onCleanup(() => ended.close());
      await waitUntil(() => slave.connected, 2000, 'the slave to connect');
      expect(slave.details().rings.every((r) => r.ringSize >= 2)).toBe(true);
    } else {
      ended.control.close();
      await waitUntil(() => slave.errors.length > 0, 2000, 'an error event');
    }
    await healthy.exchange();
  });
});

describe('our slave against a hostile master, after connecting', () => {
  it('disconnects with a reason when the master moves tail beyond what was posted', async () => {
    const { slave, s } = await connected('tailjump');
    const disconnected = nextEvent<[string, string]>(slave, 'disconnected', 2000);
    s.rings.m2s[0]?.storeTail(5000);
    s.eventfds.m2s[0]?.write(1);
    expect(await disconnected).toEqual(['Ring index out of range on rx ring 0', 'local']);
    const last = await s.control.next(2000);
    expect(last.kind === 'msg' && last.msg.type === MsgType.Disconnect && last.msg.reason).toBe('Ring index out of range on rx ring 0');
    await healthy.exchange();
  });

  it('drops frames whose descriptors were redirected or overlong, and stays up', async () => {
    const { slave, s } = await connected('redirect');
    const ring = s.rings.m2s[0];
    if (ring === undefined) throw new Error('no ring');
    await waitUntil(() => ring.loadHead() === ring.size, 2000, 'the slave to post its buffers');
    ring.writeDesc(0, 0, ring.descRegion(0), 64, 0); // offset 0: the ring headers, not the posted buffer
    ring.writeDesc(1, 0, 3, 64, ring.descOffset(1)); // another region
    ring.setDescLength(2, 60_000); // longer than the posted capacity
    ring.setDescLength(3, 64); // an honest one
    ring.setDescFlags(3, 0);
    ring.storeTail(4);
    s.eventfds.m2s[0]?.write(1);
    const frames: Uint8Array[] = [];
    for await (const frame of slave.frames()) {
      frames.push(frame);
      break;
    }
    expect(frames.map((f) => f.length)).toEqual([64]);
    expect(slave.details().rx[0]).toMatchObject({ packets: 1, dropped: 3, badOffset: 1, badRegion: 1, badLength: 1 });
    expect(slave.connected).toBe(true);
    await healthy.exchange();
  });

  it('disconnects when the master releases more than the slave sent (tail passes head)', async () => {
    const { slave, s } = await connected('s2mtail');
    s.rings.s2m[0]?.storeTail(30);
    const disconnected = nextEvent<[string]>(slave, 'disconnected', 2000);
    expect(slave.trySend(new Uint8Array(64))).toBe(false);
    expect((await disconnected)[0]).toBe('Ring index out of range on tx ring 0');
    await healthy.exchange();
  });

  it('survives an interrupt storm on its receive ring', async () => {
    const { slave, s } = await connected('mstorm');
    const eventfd = s.eventfds.m2s[0];
    if (eventfd === undefined) throw new Error('no eventfd');
    const [writes] = await Promise.all([interruptStorm(eventfd, 1000), healthy.exchange(200)]);
    expect(writes).toBeGreaterThan(1000);
    expect(slave.connected).toBe(true);
    expect(s.transmitter().transmit([new Uint8Array(64)])).toBe(1);
    for await (const frame of slave.frames()) {
      expect(frame.length).toBe(64);
      break;
    }
  });

  it('notices an abrupt close within a second, releases everything, and reconnects', async () => {
    const { master, slave } = setUp('mabrupt');
    const before = resources();
    const s = await session(master);
    await waitUntil(() => slave.connected, 2000, 'the slave to connect');
    const disconnected = nextEvent<[string, string]>(slave, 'disconnected', 1000);
    s.close();
    const [, by] = await disconnected;
    expect(by).toBe('remote');
    const again = await session(master);
    await waitUntil(() => slave.connected, 2000, 'the slave to reconnect');
    again.close();
    await waitUntil(() => !slave.connected, 2000, 'the slave to notice');
    await expectReleased(before);
    await healthy.exchange();
  });
});

// The same attacks as hostile-shared-fds.test.ts makes on our master, on our slave: the eventfds
// are ours this time (the slave creates them), but the master shares their open file descriptions.
describe('our slave against a master that abuses the eventfds it shares with us', () => {
  it(
    'signals a master that made the eventfd blocking and filled it, without blocking',
    async () => {
      const { slave, s } = await connected('mfull');
      const eventfd = s.eventfds.s2m[0];
      if (eventfd === undefined) throw new Error('no eventfd');
      fillCounter(eventfd);
      makeBlocking(eventfd);
      const guard = unfreezer(eventfd.fd);
      const monitor = new LoopMonitor();
      // MASK_INT is clear on the master's S2M ring: each send signals.
      for (let i = 0; i < 3; i++) expect(slave.trySend(new Uint8Array(60))).toBe(true);
      expect(guard.fired()).toBe(false);
      await monitor.turns(5);
      expect(monitor.maxGapMs).toBeLessThan(UNFREEZE_AFTER_MS / 2);
      expect(slave.connected).toBe(true);
      expect(s.receiver().pending()).toBe(3);
      await healthy.exchange();
    },
    2 * UNFREEZE_AFTER_MS,
  );

  it(
    'never reads its interrupt eventfd: a master that makes it blocking and steals every signal freezes nothing',
    async () => {
      const { slave, s } = await connected('mthief');
      const eventfd = s.eventfds.m2s[0];
      if (eventfd === undefined) throw new Error('no eventfd');
      unfreezer(eventfd.fd);
      const monitor = new LoopMonitor();
      await Promise.all([stealSignals(eventfd.fd, 1500), healthy.exchange(50)]);
      await monitor.turns(5);
      expect(monitor.maxGapMs).toBeLessThan(UNFREEZE_AFTER_MS / 2);
      expect(s.transmitter().transmit([new Uint8Array(64)])).toBe(1);
      eventfd.write(1);
      for await (const frame of slave.frames()) {
        expect(frame.length).toBe(64);
        break;
      }
      await healthy.exchange();
    },
    2 * UNFREEZE_AFTER_MS,
  );
});
