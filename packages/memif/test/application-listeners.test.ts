// The application's event listeners are the application's: an exception in one surfaces as Node
// surfaces any listener exception (uncaught), never as a protocol event the peer hears, and a
// 'disconnected' listener runs only once the connection is wholly torn down (spec §5).
import { readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { MemifOptions } from '../src/index.ts';
import { memifMappingCount, uniqueSocketPath, waitUntil } from './helpers.ts';
import { iface, onCleanup } from './hostile/fixture.ts';
import { fillFrame } from './peer/frame-pattern.ts';
import { Peer } from './peer/spawn-peer.ts';

const peers: Peer[] = [];
afterEach(async () => {
  for (const peer of peers.splice(0)) await peer.kill('SIGKILL');
});

function spawn(options: MemifOptions): Peer {
  const peer = new Peer(options);
  peers.push(peer);
  return peer;
}

/** Takes uncaught exceptions away from the test runner for this test, and collects them. */
function catchUncaught(): Error[] {
  const caught: Error[] = [];
  const saved = process.listeners('uncaughtException');
  process.removeAllListeners('uncaughtException');
  const collect = (error: Error): void => {
    caught.push(error);
  };
  process.on('uncaughtException', collect);
  onCleanup(() => {
    process.off('uncaughtException', collect);
    for (const listener of saved) process.on('uncaughtException', listener);
  });
  return caught;
}

/** What fd `fd` of this process is now ('' when closed). */
function fdTarget(fd: number): string {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return '';
  }
}

describe('an exception thrown by an application listener', () => {
  it("of 'connected' is uncaught, and neither the link nor the peer hears of it", async () => {
    const socket = uniqueSocketPath('throw-connected');
    const master = iface({ role: 'master', id: 1, socket, socketAbstract: false });
    const caught = catchUncaught();
    const bug = new Error('application bug in a connected listener');
    master.on('connected', () => {
      throw bug;
    });
    const slave = spawn({ role: 'slave', id: 1, socket, socketAbstract: false });
    await slave.next('connected', 20_000);
    await waitUntil(() => caught.length > 0, 10_000, 'the listener exception to surface as uncaught');
    expect(caught).toEqual([bug]);
    expect(master.state).toBe('connected');
    // The link still carries frames, and the slave never heard a disconnect.
    const received = slave.request({ type: 'expect', count: 50, sizes: [64] }, 'received');
    for (let seq = 0; seq < 50; seq++) {
      const frame = new Uint8Array(64);
      fillFrame(frame, seq);
      await master.send(frame);
    }
    expect(await received).toMatchObject({ count: 50, problems: [] });
    expect(slave.messages.filter((m) => m.type === 'disconnected')).toEqual([]);
    expect(master.details().localDisconnectReason).toBeUndefined();
    expect(master.disconnects).toEqual([]);
  }, 60_000);

  it("of 'disconnected' is uncaught, and the slave is left clean and reconnects", async () => {
    const socket = uniqueSocketPath('throw-disconnected');
    const firstMaster = spawn({ role: 'master', id: 1, socket, socketAbstract: false });
    await firstMaster.next('ready', 20_000);
    const slave = iface({ role: 'slave', id: 1, socket, socketAbstract: false, reconnectInterval: 50 });
    await waitUntil(() => slave.connected, 20_000, 'the slave to connect');
    const caught = catchUncaught();
    const bug = new Error('application bug in a disconnected listener');
    slave.on('disconnected', () => {
      throw bug;
    });
    await firstMaster.request({ type: 'close' }, 'closed');
    await waitUntil(() => caught.length > 0, 10_000, 'the listener exception to surface as uncaught');
    expect(caught).toEqual([bug]);
    expect(slave.state).toBe('connecting');
    expect(slave.details()).toMatchObject({ regions: [], rings: [] });
    const secondMaster = spawn({ role: 'master', id: 1, socket, socketAbstract: false });
    await secondMaster.next('connected', 20_000);
    await waitUntil(() => slave.connected, 20_000, 'the slave to reconnect');
    expect(caught).toEqual([bug]);
  }, 60_000);
});

describe("'disconnected' comes last (spec §5)", () => {
  it.each(['master', 'slave'] as const)(
    'as %s: regions are unmapped and fds closed before it is emitted',
    async (role) => {
      const socket = uniqueSocketPath(`teardown-${role}`);
      const peerRole = role === 'master' ? 'slave' : 'master';
      const mappingsBefore = memifMappingCount();
      const peer = spawn({ role: peerRole, id: 1, socket, socketAbstract: false });
      await peer.next('ready', 20_000);
      const local = iface({ role, id: 1, socket, socketAbstract: false, reconnectInterval: 50 });
      await waitUntil(() => local.connected, 20_000, 'the connection');
      const connected = local.details();
      const fds = [...connected.regions.map((r) => r.fd), ...connected.rings.map((r) => r.interruptFd)].filter((fd) => fd >= 0);
      expect(fds.length).toBeGreaterThan(0);
      expect(memifMappingCount()).toBeGreaterThan(mappingsBefore);
      const seen = new Promise<{ mappings: number; targets: string[]; state: string }>((resolve) => {
        local.once('disconnected', () => resolve({ mappings: memifMappingCount(), targets: fds.map(fdTarget), state: local.state }));
      });
      await peer.request({ type: 'close' }, 'closed');
      const atEvent = await seen;
      expect(atEvent.state).toBe(role === 'master' ? 'listening' : 'connecting');
      expect(atEvent.mappings).toBe(mappingsBefore);
      for (const target of atEvent.targets) expect(target).not.toMatch(/memfd:memif|eventfd/);
    },
    60_000,
  );
});
