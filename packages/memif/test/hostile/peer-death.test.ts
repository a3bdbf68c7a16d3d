// A peer process killed with SIGKILL mid-traffic, in both roles: noticed within a second (the
// control socket hangs up), everything of that connection released, and a new peer served. A
// dead master's socket file: reported clearly, replaced only on request and only when stale.
import { lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createInterface, type MemifInterface, type MemifOptions, ReceiveBatch } from '../../src/index.ts';
import { nextEvent, socketFileExists, uniqueSocketPath, waitUntil } from '../helpers.ts';
import { Peer } from '../peer/spawn-peer.ts';
import { expectReleased, iface, onCleanup, removeSocketFiles, resources } from './fixture.ts';

const peers: Peer[] = [];
afterEach(async () => {
  for (const peer of peers.splice(0)) await peer.kill('SIGKILL');
  // A master killed by the test leaves its socket file behind; the fixture's sweep may run first.
  removeSocketFiles();
});

function spawn(options: MemifOptions): Peer {
  const peer = new Peer(options);
  peers.push(peer);
  return peer;
}

/** Keeps reading queue 0 of `local` (so the peer's sends keep flowing) until stopped. */
function consume(local: MemifInterface): () => void {
  const batch = new ReceiveBatch(64);
  let running = true;
  const loop = (): void => {
    if (!running) return;
    if (local.rxBurst(0, batch) > 0) local.rxRelease(0);
    setImmediate(loop);
  };
  loop();
  return () => {
    running = false;
  };
}

const SIZES = [64, 1500, 3000];

/** The error creating an interface throws (undefined when it does not throw). */
function creationError(options: MemifOptions): (Error & { code?: string }) | undefined {
  try {
    const created = createInterface(options);
    onCleanup(() => created.close());
    return undefined;
  } catch (error) {
    return error as Error & { code?: string };
  }
}

describe('a peer killed with SIGKILL mid-traffic', () => {
  it('as slave: our master notices within a second, releases it all, and accepts a new slave', async () => {
    const socket = uniqueSocketPath('death-s');
    const master = iface({ role: 'master', id: 1, socket, socketAbstract: false });
    const before = resources();
    const stop = consume(master);
    onCleanup(stop);
    const slave = spawn({ role: 'slave', id: 1, socket, socketAbstract: false });
    await waitUntil(() => master.connected, 20_000, 'the slave to connect');
    slave.child.send({ type: 'send', count: 1e9, sizes: SIZES });
    await waitUntil(() => (master.details().rx[0]?.packets ?? 0) > 1000, 5000, 'traffic');
    const disconnected = nextEvent<[string, string]>(master, 'disconnected', 1000);
    const killedAt = Date.now();
    slave.child.kill('SIGKILL');
    const [reason, by] = await disconnected;
    expect(Date.now() - killedAt).toBeLessThan(1000);
    expect(by).toBe('remote');
    expect(reason).toMatch(/closed by peer|control socket/);
    await expectReleased(before);
    const second = spawn({ role: 'slave', id: 1, socket, socketAbstract: false });
    await waitUntil(() => master.connected, 20_000, 'a new slave to connect');
    void second;
  }, 60_000);

  it('as master: our slave notices within a second, releases it all, and reconnects to a new master', async () => {
    const socket = uniqueSocketPath('death-m');
    const first = spawn({ role: 'master', id: 1, socket, socketAbstract: false });
    await first.next('ready', 20_000);
    const before = resources();
    const slave = iface({ role: 'slave', id: 1, socket, socketAbstract: false, reconnectInterval: 50 });
    const stop = consume(slave);
    onCleanup(stop);
    await waitUntil(() => slave.connected, 10_000, 'the slave to connect');
    first.child.send({ type: 'send', count: 1e9, sizes: SIZES });
    await waitUntil(() => (slave.details().rx[0]?.packets ?? 0) > 1000, 5000, 'traffic');
    const disconnected = nextEvent<[string, string]>(slave, 'disconnected', 1000);
    const killedAt = Date.now();
    first.child.kill('SIGKILL');
    const [, by] = await disconnected;
    expect(Date.now() - killedAt).toBeLessThan(1000);
    expect(by).toBe('remote');
    // The slave keeps only what it had before connecting (its retry timer owns no fd).
    await expectReleased(before);
    expect(socketFileExists(socket)).toBe(true); // the dead master's file, stale now
    const second = spawn({ role: 'master', id: 1, socket, socketAbstract: false, replaceStaleSocket: true });
    await second.next('ready', 20_000);
    await waitUntil(() => slave.connected, 10_000, 'the slave to reconnect');
  }, 60_000);
});

describe("a dead master's socket file", () => {
  async function staleSocket(label: string): Promise<string> {
    const socket = uniqueSocketPath(label);
    const dead = spawn({ role: 'master', id: 1, socket, socketAbstract: false });
    await dead.next('ready', 20_000);
    await dead.kill('SIGKILL');
    expect(socketFileExists(socket)).toBe(true);
    return socket;
  }

  it('is reported clearly (EADDRINUSE with a hint) without replaceStaleSocket', async () => {
    const socket = await staleSocket('stale');
    onCleanup(() => import('node:fs').then((fs) => fs.rmSync(socket, { force: true })));
    const error = creationError({ role: 'master', socket, socketAbstract: false });
    expect(error).toMatchObject({ code: 'EADDRINUSE', syscall: 'bind' });
    expect(String((error as Error).message) + JSON.stringify(error)).toMatch(/stale socket file.*replaceStaleSocket/);
  }, 30_000);

  it('is replaced with replaceStaleSocket, and the new master serves', async () => {
    const socket = await staleSocket('replace');
    const master = iface({ role: 'master', id: 1, socket, socketAbstract: false, replaceStaleSocket: true });
    const slave = spawn({ role: 'slave', id: 1, socket, socketAbstract: false });
    await waitUntil(() => master.connected, 20_000, 'a slave to connect');
    void slave;
  }, 30_000);

  it('is never replaced while another process listens on it, even with replaceStaleSocket', async () => {
    const socket = uniqueSocketPath('live');
    const live = spawn({ role: 'master', id: 1, socket, socketAbstract: false });
    await live.next('ready', 20_000);
    const error = creationError({ role: 'master', socket, socketAbstract: false, replaceStaleSocket: true });
    expect(error).toMatchObject({ code: 'EADDRINUSE' });
    expect(String((error as Error).message) + JSON.stringify(error)).toMatch(/another process is listening/);
    // Still the live master's: a slave reaches it.
    const slave = spawn({ role: 'slave', id: 1, socket, socketAbstract: false });
    await slave.next('connected', 20_000);
  }, 30_000);

  it.each([
    ['regular file', (path: string) => writeFileSync(path, 'a user file\n'), 'regular file'],
    ['directory', (path: string) => mkdirSync(path), 'directory'],
    ['dangling symbolic link', (path: string) => symlinkSync(`${path}.target`, path), 'symbolic link'],
  ] as const)('is never something else: a %s at the path is refused and kept, even with replaceStaleSocket', (_, make, type) => {
    // Not named like our socket files, so no sweep of stale sockets can touch it.
    const path = `${uniqueSocketPath('not-a-socket')}.user`;
    make(path);
    onCleanup(() => rmSync(path, { recursive: true, force: true }));
    for (const replaceStaleSocket of [true, false]) {
      const error = creationError({ role: 'master', id: 1, socket: path, socketAbstract: false, replaceStaleSocket });
      expect(error).toMatchObject({ code: 'EADDRINUSE', syscall: 'bind', path });
      expect(error?.message).toContain(path);
      expect(error?.message).toContain(`is a ${type}, not a socket`);
      expect(error?.message).not.toMatch(/EISDIR|stale/);
    }
    expect(lstatSync(path).isSocket()).toBe(false);
    if (type === 'regular file') expect(readFileSync(path, 'utf8')).toBe('a user file\n');
  });
});
