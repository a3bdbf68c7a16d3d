// Our master against a slave that misbehaves during the handshake: every case must end in a
// DISCONNECT with a reason (or a hang-up), an error event with a code, the interface listening
// again, every fd and mapping of the attempt released, and the healthy pair unharmed.

import { type Msg, MsgType } from '@memif/protocol';
import { closeFd, loadNative, SharedMemory } from '@memif/shm-native';
import { describe as describeReceived, HostileSlave, type Outgoing, type Received } from '@memif/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../helpers.ts';
import { expectReleased, HealthyPair, onCleanup, resources, victimMaster } from './fixture.ts';

let healthy: HealthyPair;

beforeAll(async () => {
  healthy = await HealthyPair.start();
}, 30_000);

afterAll(() => healthy.stop());

function replace(list: Outgoing[], type: MsgType, change: (o: Outgoing) => Outgoing): Outgoing[] {
  return list.map((o) => (o.msg.type === type ? change(o) : o));
}

const datagram = (length: number, type: number = MsgType.Init): Uint8Array => {
  const bytes = new Uint8Array(length);
  new DataView(bytes.buffer).setUint16(0, type, true);
  return bytes;
};

interface Case {
  readonly name: string;
  /** What the slave does after HELLO (regions and rings are built); returns the master's last word. */
  readonly script: (peer: HostileSlave) => Promise<Received>;
  /** The DISCONNECT reason expected, or 'hangup' for a silent close. */
  readonly expect: RegExp | 'hangup';
}

const raw =
  (bytes: Uint8Array, fds: number[] = []) =>
  async (peer: HostileSlave): Promise<Received> => {
    peer.control.sendRaw(bytes, fds);
    return peer.control.next(2000);
  };
const lockStep =
  (tamper: (list: Outgoing[], peer: HostileSlave) => Outgoing[]) =>
  (peer: HostileSlave): Promise<Received> =>
    peer.sendLockStep(tamper(peer.outgoing({ id: 1 }), peer), 2000);

const cases: Case[] = [
  { name: 'a truncated datagram (64 bytes)', script: raw(datagram(64)), expect: /Invalid message size/ },
  { name: 'an oversized datagram (200 bytes)', script: raw(datagram(200)), expect: /Invalid message size/ },
  { name: 'a one-byte datagram', script: raw(new Uint8Array(1)), expect: /Invalid message size/ },
  { name: 'an unknown message type', script: raw(datagram(128, 99)), expect: /Unknown message type/ },
  { name: 'message type 0', script: raw(datagram(128, 0)), expect: /Unknown message type/ },
  { name: 'ADD_REGION before INIT', script: lockStep((l) => l.slice(1)), expect: /Unexpected message/ },
  {
    name: 'CONNECTED sent by a slave',
    script: lockStep(() => [{ msg: { type: MsgType.Connected, ifName: 'x' } }]),
    expect: /Unexpected message/,
  },
  {
    name: 'a wrong version',
    script: lockStep((l) => replace(l, MsgType.Init, (o) => ({ msg: { ...o.msg, version: 0x0100 } as Msg }))),
    expect: /Incompatible memif version/,
  },
  {
    name: 'an unknown interface id',
    script: lockStep((l) => replace(l, MsgType.Init, (o) => ({ msg: { ...o.msg, id: 999 } as Msg }))),
    expect: /ID not found/,
  },
  { name: 'INIT repeated', script: lockStep((l) => [l[0] as Outgoing, ...l]), expect: /Unexpected message/ },
  {
    name: 'ADD_REGION repeated',
    script: lockStep((l) => [l[0] as Outgoing, l[1] as Outgoing, ...l.slice(1)]),
    expect: /Invalid region index/,
  },
  {
    name: 'a region index out of order',
    script: lockStep((l) => replace(l, MsgType.AddRegion, (o) => ({ ...o, msg: { ...o.msg, index: 5 } as Msg }))),
    expect: /Invalid region index/,
  },
  {
    name: 'a region index over the limit',
    script: lockStep((l) => replace(l, MsgType.AddRegion, (o) => ({ ...o, msg: { ...o.msg, index: 300 } as Msg }))),
    expect: /Invalid region index/,
  },
  {
    name: 'a region without fd',
    script: lockStep((l) => replace(l, MsgType.AddRegion, (o) => ({ msg: o.msg }))),
    expect: /Missing region fd/,
  },
  {
    name: 'a region of size 0',
    script: lockStep((l) => replace(l, MsgType.AddRegion, (o) => ({ ...o, msg: { ...o.msg, size: 0 } as Msg }))),
    expect: /Invalid region size/,
  },
  {
    name: 'a ring without fd',
    script: lockStep((l) => replace(l, MsgType.AddRing, (o) => ({ msg: o.msg }))),
    expect: /Missing interrupt fd/,
  },
  {
    name: 'a ring size over the limit (2^20)',
    script: lockStep((l) => replace(l, MsgType.AddRing, (o) => ({ ...o, msg: { ...o.msg, log2RingSize: 20 } as Msg }))),
    expect: /Invalid ring size/,
  },
  {
    name: 'a ring index over the queue count',
    script: lockStep((l) => replace(l, MsgType.AddRing, (o) => ({ ...o, msg: { ...o.msg, index: 200 } as Msg }))),
    expect: /Invalid ring index/,
  },
  {
    name: 'a ring in a region never announced',
    script: lockStep((l) => replace(l, MsgType.AddRing, (o) => ({ ...o, msg: { ...o.msg, region: 9 } as Msg }))),
    expect: /Invalid ring region/,
  },
  {
    name: 'a private header',
    script: lockStep((l) => replace(l, MsgType.AddRing, (o) => ({ ...o, msg: { ...o.msg, privateHdrSize: 64 } as Msg }))),
    expect: /Private headers/,
  },
  {
    name: 'a ring offset past the region',
    script: lockStep((l) => replace(l, MsgType.AddRing, (o) => ({ ...o, msg: { ...o.msg, offset: 0xfffffff0 } as Msg }))),
    expect: /Wrong ring/,
  },
  {
    name: 'a misaligned ring offset',
    script: lockStep((l) => replace(l, MsgType.AddRing, (o) => ({ ...o, msg: { ...o.msg, offset: 3 } as Msg }))),
    expect: /Wrong ring/,
  },
  { name: 'CONNECT without rings', script: lockStep((l) => l.filter((o) => o.msg.type !== MsgType.AddRing)), expect: /./ },
  {
    name: 'a memfd sent as the interrupt fd',
    script: async (peer) => {
      const memory = SharedMemory.createMemfd('not-an-eventfd', { size: 4096 });
      try {
        return await lockStep((l) => replace(l, MsgType.AddRing, (o) => ({ ...o, fd: memory.fd })))(peer);
      } finally {
        memory.close();
      }
    },
    expect: /Interrupt fd is not an eventfd/,
  },
  {
    name: 'a blocking eventfd as the interrupt fd',
    script: async (peer) => {
      const blocking = blockingEventFd();
      try {
        return await lockStep((l) => replace(l, MsgType.AddRing, (o) => ({ ...o, fd: blocking })))(peer);
      } finally {
        closeFd(blocking);
      }
    },
    expect: /Interrupt fd is not non-blocking/,
  },
  {
    name: 'a hang-up after the first region',
    script: async (peer) => {
      await peer.sendLockStep(peer.outgoing({ id: 1 }).slice(0, 2));
      peer.close();
      return { kind: 'eof' };
    },
    expect: 'hangup',
  },
];

/** EventFd.create is always non-blocking; a hostile peer sends a blocking one (raw syscall). */
function blockingEventFd(): number {
  const binding = loadNative();
  const fd = binding.eventfd(0, binding.constants.EFD_CLOEXEC);
  if (fd < 0) throw new Error(`eventfd failed: ${fd}`);
  return fd;
}

describe('our master against a hostile slave, during the handshake', () => {
  for (const c of cases) {
    it(`refuses ${c.name}`, async () => {
      const master = victimMaster('hs', { id: 1 });
      const before = resources();
      const peer = await HostileSlave.connect({ path: master.socket });
      onCleanup(() => peer.close());
      await peer.readHello();
      peer.build({ log2RingSize: 6 });
      const last = await c.script(peer);
      if (c.expect === 'hangup') {
        expect(['eof', 'timeout']).toContain(last.kind);
      } else {
        expect(describeReceived(last)).toMatch(/^DISCONNECT/);
        if (last.kind === 'msg' && last.msg.type === MsgType.Disconnect) expect(last.msg.reason).toMatch(c.expect);
        expect(await peer.control.waitHangup(2000)).toBe(true);
      }
      peer.close();
      await waitUntil(() => master.state === 'listening', 2000, 'the master to listen again');
      await expectReleased(before);
      await healthy.exchange();
    });
  }

  it('refuses a region whose fd is smaller than announced (fstat before mmap)', async () => {
    const master = victimMaster('short', { id: 1 });
    const peer = await HostileSlave.connect({ path: master.socket });
    onCleanup(() => peer.close());
    await peer.readHello();
    peer.build({ log2RingSize: 6, announceExtra: 1 << 20 });
    const last = await peer.sendLockStep(peer.outgoing({ id: 1 }), 2000);
    expect(last.kind === 'msg' && last.msg.type === MsgType.Disconnect && last.msg.reason).toMatch(
      /Region 0 is \d+ bytes, smaller than the \d+ announced/,
    );
    await waitUntil(() => master.errors.length > 0, 2000, 'an error event');
    expect(master.errors[0]?.code).toBe('ERR_MEMIF_PEER');
    await healthy.exchange();
  });

  it('refuses rings with a wrong cookie', async () => {
    const master = victimMaster('cookie', { id: 1 });
    const peer = await HostileSlave.connect({ path: master.socket });
    onCleanup(() => peer.close());
    await peer.readHello();
    peer.build({ log2RingSize: 6, cookie: 0xdeadbeef });
    const last = await peer.sendLockStep(peer.outgoing({ id: 1 }), 2000);
    expect(last.kind === 'msg' && last.msg.type === MsgType.Disconnect && last.msg.reason).toMatch(/cookie 0xdeadbeef/);
    await healthy.exchange();
  });

  it('drops a slave that never speaks after handshakeTimeout, and keeps serving others', async () => {
    const master = victimMaster('silent', { id: 1, handshakeTimeout: 300 });
    const before = resources();
    const silent = await HostileSlave.connect({ path: master.socket });
    onCleanup(() => silent.close());
    const stalled = await HostileSlave.connect({ path: master.socket });
    onCleanup(() => stalled.close());
    await stalled.readHello();
    stalled.build({ log2RingSize: 6 });
    // INIT is answered, then the slave stalls holding the interface.
    expect(describeReceived(await stalled.sendLockStep(stalled.outgoing({ id: 1 }).slice(0, 1)))).toBe('ACK');
    const started = Date.now();
    expect(await stalled.control.waitHangup(2000)).toBe(true);
    expect(await silent.control.waitHangup(2000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1500);
    await waitUntil(() => master.errors.some((e) => /Handshake timeout after 300 ms/.test(e.message)), 2000, 'the timeout error');
    silent.close();
    stalled.close();
    await expectReleased(before);
    // The listener still serves: an honest slave connects now.
    const honest = await HostileSlave.connect({ path: master.socket });
    onCleanup(() => honest.close());
    await honest.handshake({ id: 1 }, { log2RingSize: 6 });
    await waitUntil(() => master.connected, 2000, 'the honest slave to connect');
    await healthy.exchange();
  });
});
