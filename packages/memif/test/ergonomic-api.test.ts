import type { Duplex } from 'node:stream';
import { loadNative, type NativeBinding } from '@memif/shm-native';
import { afterEach, describe, expect, it } from 'vitest';
import { createInterface, type MemifInterface, type MemifOptions } from '../src/index.ts';
import { nextEvent, uniqueSocketPath, waitUntil } from './helpers.ts';
import { checkFrame } from './peer/frame-pattern.ts';
import { Peer } from './peer/spawn-peer.ts';

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function local(options: MemifOptions, deps?: { binding?: NativeBinding }): MemifInterface {
  const iface = createInterface(options, deps);
  cleanups.push(() => iface.close());
  return iface;
}

function remote(options: MemifOptions): Peer {
  const peer = new Peer(options);
  cleanups.push(async () => {
    if (peer.child.connected) await peer.request({ type: 'close' }, 'closed', 5000).catch(() => {});
    await peer.kill();
  });
  return peer;
}

/** A local master and a slave in a child process that reads nothing unless told to. */
async function masterWithIdlePeer(slave: MemifOptions = {}): Promise<{ iface: MemifInterface; peer: Peer }> {
  const socket = uniqueSocketPath('api');
  const iface = local({ role: 'master', socket, socketAbstract: false });
  const connected = nextEvent(iface, 'connected', 30_000);
  const peer = remote({ role: 'slave', socket, socketAbstract: false, reconnectInterval: 50, ...slave });
  await connected;
  return { iface, peer };
}

/**
 * Fills the tx ring of queue 0 (the peer reads nothing) and returns how many frames it took. A
 * master's ring has room only once the slave posted its buffers, just after 'connected'.
 */
async function fillRing(iface: MemifInterface): Promise<number> {
  let sent = 0;
  await waitUntil(() => iface.trySend(new Uint8Array(60)) && ++sent > 0, 10_000, 'the slave to post its buffers');
  while (iface.trySend(new Uint8Array(60).fill(sent & 0xff))) sent++;
  return sent;
}

describe('send()', { timeout: 60_000 }, () => {
  it('refuses what is not a frame, and the counters stay numbers', async () => {
    const { iface } = await masterWithIdlePeer({ log2RingSize: 4 });
    const send = (value: unknown): Promise<void> => iface.send(value as Uint8Array);
    await expect(send('hello')).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG_TYPE',
      message: expect.stringMatching(/"frame" argument must be an instance of Buffer or Uint8Array\. Received type string \('hello'\)/),
    });
    await expect(send(42)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' });
    await expect(send(undefined)).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG_TYPE',
      message: expect.stringContaining('Received undefined'),
    });
    await expect(send(new Uint8Array(0))).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG_VALUE',
      message: expect.stringContaining('at least 1 byte'),
    });
    // 16 slots of 2048 bytes: 40,000 bytes never fit.
    await expect(send(new Uint8Array(40_000))).rejects.toMatchObject({ code: 'ERR_MEMIF_FRAME_TOO_LARGE' });
    expect(() => iface.trySend('hello' as unknown as Uint8Array)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
    expect(() => iface.txBurst(0, [new Uint8Array(64), 42 as unknown as Uint8Array])).toThrow(/"frames\[1\]" argument/);
    expect(() => iface.txBurst(0, [new Uint8Array(64)], 2)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }));
    await iface.send(Buffer.from('a Buffer is a frame'));
    const tx = iface.details().tx[0];
    expect(tx).toMatchObject({ packets: 1, bytes: 19 });
    expect(Object.values(tx ?? {}).every((n) => Number.isFinite(n))).toBe(true);
  });

  it('refuses a frame larger than a slave ring can ever hold before trying', async () => {
    const socket = uniqueSocketPath('api-slave');
    const peer = remote({ role: 'master', socket, socketAbstract: false });
    await peer.next('ready');
    const iface = local({ role: 'slave', socket, socketAbstract: false, log2RingSize: 2, bufferSize: 128, reconnectInterval: 50 });
    await nextEvent(iface, 'connected', 30_000);
    await expect(iface.send(new Uint8Array(513))).rejects.toMatchObject({
      code: 'ERR_MEMIF_FRAME_TOO_LARGE',
      message: expect.stringContaining('at most 512 bytes'),
    });
    await iface.send(new Uint8Array(512));
  });

  it('waits for space in FIFO order, lets no trySend overtake, and rejects on abort', async () => {
    const { iface, peer } = await masterWithIdlePeer({ log2RingSize: 4 });
    expect(await fillRing(iface)).toBe(16);
    const order: number[] = [];
    const controller = new AbortController();
    const first = iface.send(new Uint8Array(64).fill(201)).then(() => order.push(201));
    const aborted = iface.send(new Uint8Array(64).fill(202), 0, { signal: controller.signal });
    const third = iface.send(new Uint8Array(64).fill(203)).then(() => order.push(203));
    expect(iface.trySend(new Uint8Array(64))).toBe(false);
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError', code: 'ABORT_ERR' });
    // The peer reads everything: the waiting sends go in order, and the peer sees that order.
    const received = peer.request({ type: 'expect', count: 18, sizes: [60] }, 'received', 30_000);
    await Promise.all([first, third]);
    expect(order).toEqual([201, 203]);
    await received.catch(() => {});
  });

  it('does not spin a core while the peer consumes nothing', async () => {
    const { iface } = await masterWithIdlePeer({ log2RingSize: 4 });
    expect(await fillRing(iface)).toBe(16);
    const controller = new AbortController();
    const waiting = iface.send(new Uint8Array(64), 0, { signal: controller.signal });
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const cpu = process.cpuUsage(cpuBefore);
    const wall = performance.now() - wallBefore;
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    // A spinning wait would use about `wall` ms of CPU; backing off uses a few.
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(wall * 0.1);
  });

  it('counts a sent frame at once, and puts what a turn sent in the ring before the peer hears DISCONNECT', async () => {
    type Counters = { packets: number; lostOnDisconnect: number };
    for (const readCounters of [true, false]) {
      const { iface, peer } = await masterWithIdlePeer({ log2RingSize: 6 });
      await waitUntil(() => iface.trySend(new Uint8Array(60)), 10_000, 'the slave to post its buffers');
      // Copied into the ring at once, published together once this turn ends.
      const frame = new Uint8Array(64);
      const sends = Array.from({ length: 10 }, (_, i) => iface.send(frame.fill(i)));
      if (readCounters) expect(iface.details().tx[0]).toMatchObject({ packets: 11, bytes: 60 + 640 });
      const disconnected = peer.next('disconnected', 15_000);
      await iface.close();
      await Promise.all(sends);
      await disconnected;
      const { details } = (await peer.request({ type: 'details' }, 'details', 10_000)) as unknown as { details: { rx: Counters[] } };
      const rx = details.rx[0] as Counters;
      // The peer read nothing: every frame was in its ring, lost with the connection, none missing.
      expect(rx.packets + rx.lostOnDisconnect).toBe(11);
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    }
  });

  it('rejects waiting sends with ERR_MEMIF_NOT_CONNECTED when the peer goes away', async () => {
    const { iface, peer } = await masterWithIdlePeer({ log2RingSize: 4 });
    await fillRing(iface);
    const rejected = expect(iface.send(new Uint8Array(64))).rejects.toMatchObject({ code: 'ERR_MEMIF_NOT_CONNECTED' });
    await peer.kill('SIGKILL');
    await rejected;
  });
});

describe('frames() and bursts()', { timeout: 60_000 }, () => {
  it('frames() rejects with an AbortError when its signal aborts while waiting', async () => {
    const { iface } = await masterWithIdlePeer();
    const controller = new AbortController();
    const iterator = iface.frames(0, { signal: controller.signal });
    const next = iterator.next();
    setTimeout(() => controller.abort(), 50);
    await expect(next).rejects.toMatchObject({ name: 'AbortError', code: 'ABORT_ERR' });
    await expect(iface.frames(0, { signal: AbortSignal.abort() }).next()).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('bursts() hands out every frame in order as views, and ends when the interface closes', async () => {
    const { iface, peer } = await masterWithIdlePeer();
    const sizes = [64, 1500, 9000, 60];
    const count = 5000;
    void peer.request({ type: 'send', count, sizes }, 'sent', 60_000);
    let seq = 0;
    const problems: string[] = [];
    let largest = 0;
    for await (const batch of iface.bursts()) {
      largest = Math.max(largest, batch.count);
      for (let i = 0; i < batch.count; i++) {
        const problem = checkFrame(batch.frameView(i), seq++, sizes);
        if (problem !== undefined && problems.length < 5) problems.push(problem);
      }
      if (seq >= count) void iface.close();
    }
    expect(problems).toEqual([]);
    expect(seq).toBe(count);
    expect(largest).toBeGreaterThan(1);
    expect(iface.details().rx[0]).toMatchObject({ packets: count, dropped: 0 });
  });
});

describe('createStream()', { timeout: 60_000 }, () => {
  it('leaves no listener on the interface once a stream is destroyed', async () => {
    const { iface } = await masterWithIdlePeer();
    const baseline = { close: iface.listenerCount('close'), readable: iface.listenerCount('readable') };
    for (let i = 0; i < 20; i++) {
      const stream = iface.createStream();
      stream.resume();
      await new Promise((resolve) => setImmediate(resolve));
      stream.destroy();
      await new Promise((resolve) => stream.once('close', resolve));
    }
    await waitUntil(() => iface.listenerCount('readable') === baseline.readable, 5000, 'readable listeners to go');
    expect(iface.listenerCount('close')).toBe(baseline.close);
  });

  it('writes batches in order and reads them back through a Node peer echo', async () => {
    const { iface, peer } = await masterWithIdlePeer();
    const stream: Duplex = iface.createStream();
    const count = 3000;
    const received = peer.request({ type: 'expect', count, sizes: [64, 1500] }, 'received', 60_000);
    const { fillFrame, frameLength } = await import('./peer/frame-pattern.ts');
    for (let seq = 0; seq < count; seq++) {
      const frame = new Uint8Array(frameLength(seq, [64, 1500]));
      fillFrame(frame, seq);
      if (!stream.write(frame)) await new Promise((resolve) => stream.once('drain', resolve));
    }
    const reply = await received;
    expect(reply).toMatchObject({ count, problems: [] });
    stream.destroy();
  });
});

describe('a slave that cannot reach its master', { timeout: 60_000 }, () => {
  it('reports ENOENT through error and details().lastError, once, while retrying', async () => {
    const socket = uniqueSocketPath('absent');
    const iface = local({ role: 'slave', socket, socketAbstract: false, reconnectInterval: 20 });
    const errors: Error[] = [];
    iface.on('error', (error) => errors.push(error));
    await waitUntil(() => errors.length > 0, 5000, 'a connect error');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      code: 'ENOENT',
      syscall: 'connect',
      path: socket,
      message: expect.stringContaining('nothing is listening there'),
    });
    expect(iface.details().lastError).toEqual({ code: 'ENOENT', message: errors[0]?.message });
  });

  it('reports EACCES as a permission problem, not as a missing master', async () => {
    const real = loadNative();
    const binding = new Proxy(real, {
      get: (target, key) => (key === 'connect' ? () => -13 : Reflect.get(target, key)),
    });
    const iface = local({ role: 'slave', socket: uniqueSocketPath('eacces'), socketAbstract: false, reconnectInterval: 20 }, { binding });
    const [error] = await nextEvent<[Error & { code?: string }]>(iface, 'error', 5000);
    expect(error).toMatchObject({ code: 'EACCES', message: expect.stringContaining('permission denied') });
    expect(iface.details().lastError?.code).toBe('EACCES');
  });
});

describe('Node conventions', { timeout: 60_000 }, () => {
  it('closes with Symbol.asyncDispose (await using)', async () => {
    let seen: MemifInterface | undefined;
    {
      await using iface = createInterface({ role: 'master', socket: uniqueSocketPath('dispose'), socketAbstract: false });
      seen = iface;
      expect(iface.state).toBe('listening');
    }
    expect(seen.state).toBe('closed');
  });
});
