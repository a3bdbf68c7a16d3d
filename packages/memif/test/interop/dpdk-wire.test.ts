import { readFileSync } from 'node:fs';
import { decodeMsg, encodeMsg, MSG_SIZE, type Msg, MsgType } from '@memif/protocol';
import { closeFd, FdWatcher, SeqpacketSocket, SharedMemory, unlinkPath } from '@memif/shm-native';
import { DpdkPeer, Testpmd } from '@memif/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { uniqueSocketPath, waitUntil } from '../helpers.ts';

/** The committed golden vectors of @memif/protocol, by case name. */
function golden(type: string, name: string): string {
  const url = new URL(`../../../protocol/fixtures/${type}/cases.json`, import.meta.url);
  const cases = JSON.parse(readFileSync(url, 'utf8')) as Array<{ name: string; hex: string }>;
  const found = cases.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no golden case ${type}/${name}`);
  return found.hex;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Where HELLO and INIT carry the sender's name (32 bytes): DPDK puts its version text there. */
const NAME_FIELD = { hello: 2, init: 33 } as const;

/**
 * The message with its name field zeroed, so that a golden vector recorded from one DPDK version
 * pins every other byte of what any version sends; the name is checked on its own.
 */
function withoutName(bytes: Uint8Array, at: number): string {
  const copy = bytes.slice();
  copy.fill(0, at, at + 32);
  return hex(copy);
}

const peer = DpdkPeer.fromEnv();

/** A raw control socket that records every datagram and fd exactly as received. */
class RawPeer {
  readonly received: Array<{ bytes: Uint8Array; fds: number[] }> = [];
  readonly #watcher: FdWatcher;
  constructor(readonly socket: SeqpacketSocket) {
    this.#watcher = new FdWatcher(socket.fd, () => {
      for (;;) {
        const buffer = new Uint8Array(256);
        const msg = socket.tryReceive(buffer, { maxFds: 4 });
        if (msg === null || msg.bytes === 0) return;
        this.received.push({ bytes: buffer.slice(0, msg.bytes), fds: msg.fds });
      }
    });
    this.#watcher.start('readable');
  }
  send(msg: Msg): void {
    this.socket.trySend(encodeMsg(msg));
  }
  async next(index: number): Promise<{ bytes: Uint8Array; fds: number[] }> {
    await waitUntil(() => this.received.length > index, 10_000, `message ${index}`);
    return this.received[index] as { bytes: Uint8Array; fds: number[] };
  }
  close(): void {
    this.#watcher.close();
    this.socket.close();
    for (const { fds } of this.received) for (const fd of fds) closeFd(fd);
  }
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe(`the golden vectors match what ${peer.label} puts on the wire, its version text aside`, () => {
  it('as a server: HELLO, byte for byte', async () => {
    const socket = uniqueSocketPath('wire-server');
    const pmd = await Testpmd.start({ vdevs: [`net_memif0,role=server,id=0,socket=${socket},socket-abstract=no`] });
    cleanups.push(() => pmd.stop());
    const raw = new RawPeer(SeqpacketSocket.connect({ path: socket }));
    cleanups.push(() => raw.close());
    const hello = await raw.next(0);
    expect(hello.bytes.length).toBe(MSG_SIZE);
    expect(hello.fds).toEqual([]);
    expect(withoutName(hello.bytes, NAME_FIELD.hello)).toBe(
      withoutName(Buffer.from(golden('hello', 'dpdk 22.11 master'), 'hex'), NAME_FIELD.hello),
    );
    expect(decodeMsg(hello.bytes)).toMatchObject({ type: MsgType.Hello, name: `DPDK ${pmd.version}` });
    // And DPDK's answer to an unknown id, as the disconnect vector has it.
    raw.send({ type: MsgType.Init, version: 0x200, id: 9, mode: 0, secret: '', name: 'raw' });
    const refusal = await raw.next(1);
    expect(hex(refusal.bytes)).toBe(golden('disconnect', 'dpdk id not found'));
  });

  it('as a client: INIT, ADD_REGION, ADD_RINGs and CONNECT, byte for byte, with their fds', async () => {
    const socket = uniqueSocketPath('wire-client');
    const listener = SeqpacketSocket.listen({ path: socket });
    cleanups.push(() => {
      listener.close();
      unlinkPath(socket, { ignoreMissing: true });
    });
    let raw: RawPeer | undefined;
    const acceptor = new FdWatcher(listener.fd, () => {
      const accepted = listener.accept();
      if (accepted === null) return;
      raw = new RawPeer(accepted);
      raw.send({
        type: MsgType.Hello,
        name: 'raw master',
        minVersion: 0x200,
        maxVersion: 0x200,
        maxRegion: 255,
        maxM2sRing: 255,
        maxS2mRing: 255,
        maxLog2RingSize: 14,
      });
    });
    acceptor.start('readable');
    cleanups.push(() => acceptor.close());
    // A DPDK client connects in dev_start, which runs during start-up; it needs the listener first.
    const pmdStarting = Testpmd.start({ vdevs: [`net_memif0,role=client,id=0,socket=${socket},socket-abstract=no`] });
    cleanups.push(async () => (await pmdStarting.catch(() => undefined))?.stop());
    await waitUntil(() => raw !== undefined, 30_000, 'DPDK to connect');
    const peer = raw as unknown as RawPeer;
    cleanups.push(() => peer.close());

    const init = await peer.next(0);
    expect(withoutName(init.bytes, NAME_FIELD.init)).toBe(
      withoutName(Buffer.from(golden('init', 'dpdk client defaults, no secret'), 'hex'), NAME_FIELD.init),
    );
    const pmd = await pmdStarting;
    expect(decodeMsg(init.bytes)).toMatchObject({ type: MsgType.Init, name: `DPDK ${pmd.version}` });
    peer.send({ type: MsgType.Ack });
    const region = await peer.next(1);
    expect(hex(region.bytes)).toBe(golden('add-region', 'dpdk default region 0'));
    expect(region.fds).toHaveLength(1);
    const memory = SharedMemory.fromFd(region.fds[0] as number);
    expect(memory.size()).toBe(4_227_328);
    expect(memory.seals() & 2).toBe(2);
    region.fds.length = 0;
    memory.close();
    peer.send({ type: MsgType.Ack });
    const s2m = await peer.next(2);
    expect(hex(s2m.bytes)).toBe(golden('add-ring', 'dpdk s2m ring 0'));
    expect(s2m.fds).toHaveLength(1);
    peer.send({ type: MsgType.Ack });
    const m2s = await peer.next(3);
    expect(hex(m2s.bytes)).toBe(golden('add-ring', 'dpdk m2s ring 0'));
    peer.send({ type: MsgType.Ack });
    const connect = await peer.next(4);
    expect(hex(connect.bytes)).toBe(golden('connect', 'dpdk ethdev name'));
    expect(decodeMsg(connect.bytes)).toEqual({ type: MsgType.Connect, ifName: 'net_memif0' });
  });
});
