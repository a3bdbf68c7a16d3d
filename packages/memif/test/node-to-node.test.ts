import { afterEach, describe, expect, it } from 'vitest';
import { YIELD_EVERY_BURSTS } from '../src/burst-iterator.ts';
import { createInterface, type MemifInterface, type MemifOptions } from '../src/index.ts';
import { COPY_BURST_FRAMES } from '../src/receive-copies.ts';
import { memifMappingCount, nextEvent, openFdCount, socketFileExists, uniqueSocketPath, waitUntil } from './helpers.ts';
import { checkFrame, fillFrame, frameLength } from './peer/frame-pattern.ts';
import { Peer } from './peer/spawn-peer.ts';

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function local(options: MemifOptions): MemifInterface {
  const iface = createInterface(options);
  cleanups.push(() => iface.close());
  return iface;
}

function remote(options: MemifOptions, deps?: { replaceStaleSocket?: boolean }): Peer {
  const peer = new Peer(options, deps);
  cleanups.push(async () => {
    if (peer.child.connected) {
      await peer.request({ type: 'close' }, 'closed', 5000).catch(() => {});
    }
    await peer.kill();
  });
  return peer;
}

const MIXED_SIZES = [64, 128, 1500, 9000, 60, 2048, 2049, 4000, 777, 8999];

async function receiveAndCheck(iface: MemifInterface, count: number, sizes: readonly number[]): Promise<string[]> {
  const problems: string[] = [];
  let seq = 0;
  for await (const frame of iface.frames()) {
    const problem = checkFrame(frame, seq, sizes);
    if (problem !== undefined && problems.length < 10) problems.push(problem);
    if (++seq === count) break;
  }
  return problems;
}

async function sendAll(iface: MemifInterface, count: number, sizes: readonly number[]): Promise<void> {
  const buffers = new Map<number, Uint8Array>();
  for (let seq = 0; seq < count; seq++) {
    const length = frameLength(seq, sizes);
    let frame = buffers.get(length);
    if (frame === undefined) {
      frame = new Uint8Array(length);
      buffers.set(length, frame);
    }
    fillFrame(frame, seq);
    await iface.send(frame);
  }
}

describe('a Node master and a Node slave in two processes', () => {
  it('connect and move 100k frames of mixed sizes each way, intact and in order', async () => {
    const socket = uniqueSocketPath('n2n');
    const master = local({ role: 'master', id: 3, socket, socketAbstract: false, name: 'm3' });
    const connected = nextEvent<[{ peerName: string; peerInterfaceName: string }]>(master, 'connected');
    const slave = remote({ role: 'slave', id: 3, socket, socketAbstract: false, name: 'net_memif0', appName: 'peer-app' });
    const [info] = await connected;
    expect(info).toEqual({ peerName: 'peer-app', peerInterfaceName: 'net_memif0' });
    expect((await slave.next('connected')).peerInterfaceName).toBe('m3');

    const count = 100_000;
    const slaveReceived = slave.request({ type: 'expect', count, sizes: MIXED_SIZES }, 'received', 120_000);
    const slaveSent = slave.request({ type: 'send', count, sizes: MIXED_SIZES }, 'sent', 120_000);
    const [problems] = await Promise.all([receiveAndCheck(master, count, MIXED_SIZES), sendAll(master, count, MIXED_SIZES)]);
    expect(problems).toEqual([]);
    const received = await slaveReceived;
    expect(received).toMatchObject({ count, problems: [] });
    await slaveSent;

    const details = master.details();
    expect(details.rx[0]).toMatchObject({ packets: count, dropped: 0 });
    expect(details.tx[0]).toMatchObject({ packets: count });
    expect(details.state).toBe('connected');
    expect(details.regions[0]?.sealedAgainstShrink).toBe(true);
  }, 180_000);

  it('refuse a wrong secret, with the reason on both sides', async () => {
    const socket = uniqueSocketPath('secret');
    const master = local({ role: 'master', socket, socketAbstract: false, secret: 'right' });
    const errors: string[] = [];
    master.on('error', (error) => errors.push(error.message));
    const slave = remote({ role: 'slave', socket, socketAbstract: false, secret: 'wrong', reconnectInterval: 60_000 });
    const down = await slave.next('disconnected');
    expect(down).toMatchObject({ reason: 'Incorrect secret', by: 'remote' });
    await waitUntil(() => errors.length > 0);
    expect(errors[0]).toMatch(/Incorrect secret/);
    expect(master.details().localDisconnectReason).toBe('Incorrect secret');
    expect(master.connected).toBe(false);
  }, 30_000);

  it("report in details() the ring and buffer sizes the slave chose, not the master's configured ones", async () => {
    const socket = uniqueSocketPath('negotiated');
    const master = local({ role: 'master', id: 1, socket, socketAbstract: false, log2RingSize: 12, bufferSize: 2048 });
    expect(master.details()).toMatchObject({ log2RingSize: 12, bufferSize: 2048 });
    const slave = remote({ role: 'slave', id: 1, socket, socketAbstract: false, log2RingSize: 4, bufferSize: 1024 });
    await slave.next('connected');
    await waitUntil(() => master.connected, 10_000, 'the master to connect');
    const details = master.details();
    expect(details).toMatchObject({ log2RingSize: 4, bufferSize: 1024 });
    expect(details.rings.every((ring) => ring.ringSize === 16)).toBe(true);
    const slaveDetails = (await slave.request({ type: 'details' }, 'details')).details;
    expect(slaveDetails).toMatchObject({ log2RingSize: 4, bufferSize: 1024 });
  }, 30_000);

  it('refuse an unknown id with "ID not found"', async () => {
    const socket = uniqueSocketPath('id');
    local({ role: 'master', id: 1, socket, socketAbstract: false });
    const slave = remote({ role: 'slave', id: 2, socket, socketAbstract: false, reconnectInterval: 60_000 });
    expect(await slave.next('disconnected')).toMatchObject({ reason: 'ID not found', by: 'remote' });
  }, 30_000);

  it('connect a slave that started before its master once the master appears', async () => {
    const socket = uniqueSocketPath('late-master');
    const slave = remote({ role: 'slave', socket, socketAbstract: false, reconnectInterval: 50 });
    await slave.next('ready');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const master = local({ role: 'master', socket, socketAbstract: false });
    await nextEvent(master, 'connected');
    await slave.next('connected');
  }, 30_000);

  it('reconnect the slave after the master restarts, and unlink the socket file on close', async () => {
    const socket = uniqueSocketPath('restart');
    let master = createInterface({ role: 'master', socket, socketAbstract: false });
    const slave = remote({ role: 'slave', socket, socketAbstract: false, reconnectInterval: 50 });
    await nextEvent(master, 'connected');
    await slave.next('connected');
    await master.close();
    expect(socketFileExists(socket)).toBe(false);
    expect(await slave.next('disconnected')).toMatchObject({ reason: 'Device closed', by: 'remote' });
    const mark = slave.messages.length;
    master = local({ role: 'master', socket, socketAbstract: false });
    await nextEvent(master, 'connected');
    await slave.next('connected', 15_000, mark);
    expect(master.details().connections).toBe(1);
  }, 30_000);

  it('serve several interfaces on one listener, told apart by id', async () => {
    const socket = uniqueSocketPath('multi');
    const masters = [0, 1, 2].map((id) => local({ role: 'master', id, socket, socketAbstract: false, name: `m${id}` }));
    const slaves = [2, 0, 1].map((id) => remote({ role: 'slave', id, socket, socketAbstract: false, name: `s${id}` }));
    await Promise.all(masters.map((m) => nextEvent(m, 'connected')));
    for (const [i, slave] of slaves.entries()) {
      expect((await slave.next('connected')).peerInterfaceName).toBe(`m${[2, 0, 1][i]}`);
    }
    // Frames reach the right peer: master i sends frame number i, slave for id i expects exactly it.
    const received = slaves.map((slave, i) => slave.request({ type: 'expect', count: 1, sizes: [64], first: [2, 0, 1][i] }, 'received'));
    for (const [id, master] of masters.entries()) {
      const frame = new Uint8Array(64);
      fillFrame(frame, id);
      await master.send(frame);
    }
    for (const reply of await Promise.all(received)) expect(reply).toMatchObject({ count: 1, problems: [] });
    await masters[0]?.close();
    expect(socketFileExists(socket)).toBe(true);
    await masters[1]?.close();
    await masters[2]?.close();
    expect(socketFileExists(socket)).toBe(false);
  }, 30_000);

  it('leave fds and mappings where they began after 200 connect/disconnect cycles', async () => {
    const socket = uniqueSocketPath('leak');
    const master = local({ role: 'master', socket, socketAbstract: false, log2RingSize: 6, bufferSize: 256 });
    const slave = remote({ role: 'slave', socket, socketAbstract: false, log2RingSize: 6, bufferSize: 256, reconnectInterval: 10 });
    await nextEvent(master, 'connected');
    master.disconnect('warm-up');
    await nextEvent(master, 'connected');
    const fds = openFdCount();
    const maps = memifMappingCount();
    for (let cycle = 0; cycle < 200; cycle++) {
      const up = nextEvent(master, 'connected');
      master.disconnect(`cycle ${cycle}`);
      expect(master.connected).toBe(false);
      await up;
    }
    expect(openFdCount()).toBe(fds);
    expect(memifMappingCount()).toBe(maps);
    expect(master.details().connections).toBe(202);
    void slave;
  }, 120_000);

  it.each(['ip', 'punt-inject'] as const)(
    'carry %s mode on the wire and refuse a mode mismatch',
    async (mode) => {
      const socket = uniqueSocketPath(`mode-${mode}`);
      const master = local({ role: 'master', id: 0, socket, socketAbstract: false, mode });
      local({ role: 'master', id: 1, socket, socketAbstract: false, mode: 'ethernet' });
      const slave = remote({ role: 'slave', id: 0, socket, socketAbstract: false, mode, rxMode: 'polling' });
      await nextEvent(master, 'connected');
      const got = slave.request({ type: 'expect', count: 500, sizes: [40, 1400] }, 'received');
      await sendAll(master, 500, [40, 1400]);
      expect(await got).toMatchObject({ count: 500, problems: [] });
      const mismatched = remote({ role: 'slave', id: 1, socket, socketAbstract: false, mode, reconnectInterval: 60_000 });
      expect(await mismatched.next('disconnected')).toMatchObject({ reason: 'Mode mismatch', by: 'remote' });
    },
    30_000,
  );

  it.each(['polling', 'adaptive'] as const)(
    'move frames both ways in %s receive mode',
    async (rxMode) => {
      const socket = uniqueSocketPath(`rx-${rxMode}`);
      const master = local({ role: 'master', socket, socketAbstract: false, rxMode });
      const slave = remote({ role: 'slave', socket, socketAbstract: false, rxMode });
      await nextEvent(master, 'connected');
      const count = 20_000;
      const slaveReceived = slave.request({ type: 'expect', count, sizes: [64, 1500] }, 'received', 60_000);
      const slaveSent = slave.request({ type: 'send', count, sizes: [64, 1500] }, 'sent', 60_000);
      const [problems] = await Promise.all([receiveAndCheck(master, count, [64, 1500]), sendAll(master, count, [64, 1500])]);
      expect(problems).toEqual([]);
      expect(await slaveReceived).toMatchObject({ count, problems: [] });
      await slaveSent;
    },
    60_000,
  );
});

const MASK_INT = 1;
const ADAPTIVE_SIZES = [64, 1500];

type RingFlags = { direction: string; flags: number };

function ringFlags(rings: readonly RingFlags[], direction: 's2m' | 'm2s'): number {
  return rings.find((r) => r.direction === direction)?.flags ?? -1;
}

async function peerRingFlags(peer: Peer, direction: 's2m' | 'm2s'): Promise<number> {
  const reply = await peer.request({ type: 'details' }, 'details');
  return ringFlags((reply.details as { rings: RingFlags[] }).rings, direction);
}

/** Receives `count` frames from `first` on `iface`, noting whether MASK_INT was set while they came. */
async function receiveNotingMask(
  iface: MemifInterface,
  first: number,
  count: number,
): Promise<{ problems: string[]; maskedWhileReceiving: boolean }> {
  let maskedWhileReceiving = false;
  const sample = (): void => {
    if (!maskedWhileReceiving) maskedWhileReceiving = (ringFlags(iface.details().rings, 's2m') & MASK_INT) !== 0;
  };
  iface.on('readable', sample);
  const problems: string[] = [];
  let seq = first;
  try {
    for await (const frame of iface.frames()) {
      const problem = checkFrame(frame, seq, ADAPTIVE_SIZES);
      if (problem !== undefined && problems.length < 10) problems.push(problem);
      if (++seq === first + count) break;
    }
  } finally {
    iface.off('readable', sample);
  }
  return { problems, maskedWhileReceiving };
}

async function sendFrom(iface: MemifInterface, first: number, count: number): Promise<void> {
  for (let seq = first; seq < first + count; seq++) {
    const frame = new Uint8Array(ADAPTIVE_SIZES[seq % ADAPTIVE_SIZES.length] as number);
    fillFrame(frame, seq);
    await iface.send(frame);
  }
}

describe('adaptive receive mode, Node master and Node slave in two processes', () => {
  it('frames arrive both ways across idle periods; polling masks interrupts, idle asks for them again and burns no core', async () => {
    const socket = uniqueSocketPath('adaptive');
    const master = local({ role: 'master', socket, socketAbstract: false, rxMode: 'adaptive', adaptiveIdleMicroseconds: 1000 });
    const slave = remote({ role: 'slave', socket, socketAbstract: false, rxMode: 'adaptive', adaptiveIdleMicroseconds: 1000 });
    await nextEvent(master, 'connected', 30_000);
    await slave.next('connected', 30_000);
    // Both start in interrupt mode: MASK_INT clear on both rings.
    expect(ringFlags(master.details().rings, 's2m') & MASK_INT).toBe(0);
    expect((await peerRingFlags(slave, 'm2s')) & MASK_INT).toBe(0);

    // frames() takes up to YIELD_EVERY_BURSTS bursts of COPY_BURST_FRAMES before the event loop
    // turns. A round no larger than that can be taken whole, frame by frame, as the peer writes
    // it, before the interrupt it raised is ever handled, and so before polling starts. Twice
    // that, and the loop turns at least twice while frames come (its poll phase hears the interrupt).
    const count = 2 * YIELD_EVERY_BURSTS * COPY_BURST_FRAMES + 1000;
    for (let round = 0; round < 3; round++) {
      const first = round * count;
      // Slave -> master: the master's queue switches to polling once traffic comes.
      const slaveSent = slave.request({ type: 'send', count, sizes: ADAPTIVE_SIZES, first }, 'sent', 60_000);
      const received = await receiveNotingMask(master, first, count);
      await slaveSent;
      expect({ round, ...received }).toEqual({ round, problems: [], maskedWhileReceiving: true });
      // Master -> slave.
      const slaveReceived = slave.request({ type: 'expect', count, sizes: ADAPTIVE_SIZES, first }, 'received', 60_000);
      await sendFrom(master, first, count);
      expect(await slaveReceived).toMatchObject({ count, problems: [] });

      // Idle: both queues go back to interrupts, and each transmitter's side of the ring says so.
      await waitUntil(() => (ringFlags(master.details().rings, 's2m') & MASK_INT) === 0, 10_000, 'the master to ask for interrupts again');
      expect((await peerRingFlags(slave, 's2m')) & MASK_INT).toBe(0);
      const deadline = Date.now() + 10_000;
      while ((await peerRingFlags(slave, 'm2s')) & MASK_INT) {
        if (Date.now() > deadline) throw new Error('the slave did not ask for interrupts again within 10 s');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(ringFlags(master.details().rings, 'm2s') & MASK_INT).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }

    // Idle for a second: interrupts only, so neither process spends CPU on the interface.
    const masterBefore = process.cpuUsage();
    const slaveBefore = (await slave.request({ type: 'cpu' }, 'cpu')).usage as NodeJS.CpuUsage;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const masterUsed = process.cpuUsage(masterBefore);
    const slaveAfter = (await slave.request({ type: 'cpu' }, 'cpu')).usage as NodeJS.CpuUsage;
    const slaveUsedMs = (slaveAfter.user - slaveBefore.user + slaveAfter.system - slaveBefore.system) / 1000;
    // A polling queue would use most of the second (1000 ms); an idle one a few ms.
    expect((masterUsed.user + masterUsed.system) / 1000).toBeLessThan(150);
    expect(slaveUsedMs).toBeLessThan(150);
    expect(master.details().rx[0]).toMatchObject({ packets: 3 * count, dropped: 0 });

    // And frames still arrive after the idle second.
    const slaveSent = slave.request({ type: 'send', count: 100, sizes: ADAPTIVE_SIZES, first: 3 * count }, 'sent', 60_000);
    // Only the frames: a burst this small can be published before our iterator starts, which then
    // takes it with its own first rxBurst before the interrupt is handled, so no 'readable' is needed.
    expect((await receiveNotingMask(master, 3 * count, 100)).problems).toEqual([]);
    await slaveSent;
  }, 120_000);
});
