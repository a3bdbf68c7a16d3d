import { ControlPeer, describe, type Received } from './control-peer.ts';
import { native, protocol, ring } from './workspace.ts';

type Msg = protocol.Msg;

/** How the hostile slave builds its shared memory; every field may lie to the master. */
export interface HostileSlaveLayout {
  readonly numS2mRings?: number;
  readonly numM2sRings?: number;
  readonly log2RingSize?: number;
  readonly bufferSize?: number;
  /** Seal the region against shrinking and growing, as DPDK does. Default true. */
  readonly sealed?: boolean;
  /** Bytes ADD_REGION claims beyond the real size (a region fd smaller than announced). Default 0. */
  readonly announceExtra?: number;
  /**
   * Sparse bytes appended to each region's file and announced with it (legal: region sizes are
   * u64), e.g. to pass 4 GiB without using the memory. Default 0.
   */
  readonly padding?: number;
  /** Cookie written into every ring header instead of the right one. */
  readonly cookie?: number;
}

/** One message of the slave's side of the handshake, with the fd it carries. */
export interface Outgoing {
  readonly msg: Msg;
  readonly fd?: number | undefined;
}

/**
 * A scriptable memif slave that connects to a master over a real socket and real shared memory
 * (a memfd in the DPDK layout, rings initialised by @memif/ring, one eventfd per ring), and can
 * misbehave at every step: the honest handshake is a list of messages a test may reorder,
 * repeat, drop or corrupt, and after CONNECTED the rings, descriptors and eventfds are the
 * test's to abuse. Always {@link close} it.
 */
export class HostileSlave {
  readonly control: ControlPeer;
  hello: protocol.MsgHello | undefined;
  layout: ring.RegionLayout | undefined;
  readonly memories: native.SharedMemory[] = [];
  readonly mappings: (native.Mapping | undefined)[] = [];
  /** Region bytes, as the slave sees them (undefined once unmapped for a shrink). */
  readonly regions: (Uint8Array | undefined)[] = [];
  rings: { s2m: ring.RingView[]; m2s: ring.RingView[] } = { s2m: [], m2s: [] };
  readonly eventfds: { s2m: native.EventFd[]; m2s: native.EventFd[] } = { s2m: [], m2s: [] };
  #announceExtra = 0;
  #closed = false;

  private constructor(control: ControlPeer) {
    this.control = control;
  }

  /** Connects to the master at `address` (waits for the connection to complete). */
  static async connect(address: native.UnixAddress): Promise<HostileSlave> {
    const socket = native.SeqpacketSocket.connect(address);
    if (socket.connectState === 'pending') {
      await new Promise<void>((resolve) => {
        const watcher = new native.FdWatcher(socket.fd, () => {
          watcher.close();
          resolve();
        });
        watcher.start('writable');
      });
      const failure = socket.connectError();
      if (failure !== null) {
        socket.close();
        throw failure;
      }
    }
    return new HostileSlave(new ControlPeer(socket));
  }

  /** Reads HELLO (the master speaks first). */
  async readHello(timeoutMs = 5000): Promise<protocol.MsgHello> {
    this.hello = (await this.control.expect(protocol.MsgType.Hello, timeoutMs)).msg;
    return this.hello;
  }

  /** Creates the region, initialises the rings and creates the eventfds. */
  build(options: HostileSlaveLayout = {}): void {
    const layout = new ring.RegionLayout({
      numS2mRings: options.numS2mRings ?? 1,
      numM2sRings: options.numM2sRings ?? 1,
      log2RingSize: options.log2RingSize ?? 6,
      bufferSize: options.bufferSize ?? 2048,
    });
    this.layout = layout;
    this.#announceExtra = (options.announceExtra ?? 0) + (options.padding ?? 0);
    const seals = options.sealed === false ? 0 : native.Seal.Shrink | native.Seal.Grow | native.Seal.Seal;
    layout.regionSizes.forEach((size, index) => {
      const memory = native.SharedMemory.createMemfd(`hostile-r${index}`, { size: size + (options.padding ?? 0), seals });
      const mapping = memory.map(size);
      this.memories.push(memory);
      this.mappings.push(mapping);
      this.regions.push(new Uint8Array(mapping.buffer, 0, size));
    });
    this.rings = ring.initializeRegion(layout, this.regions as Uint8Array[]);
    if (options.cookie !== undefined) {
      for (const view of [...this.rings.s2m, ...this.rings.m2s]) {
        new DataView(view.region.buffer, view.region.byteOffset + view.offset, 4).setUint32(0, options.cookie, true);
      }
    }
    for (let i = 0; i < layout.numS2mRings; i++) this.eventfds.s2m.push(native.EventFd.create());
    for (let i = 0; i < layout.numM2sRings; i++) this.eventfds.m2s.push(native.EventFd.create());
  }

  /** The honest INIT, ADD_REGION…, ADD_RING… (S2M first), CONNECT, for a test to tamper with. */
  outgoing(init: { id?: number; secret?: string; version?: number; mode?: number; ifName?: string } = {}): Outgoing[] {
    const layout = this.#layout();
    const list: Outgoing[] = [
      {
        msg: {
          type: protocol.MsgType.Init,
          version: init.version ?? protocol.MEMIF_VERSION,
          id: init.id ?? 0,
          mode: (init.mode ?? protocol.InterfaceMode.Ethernet) as protocol.InterfaceMode,
          secret: init.secret ?? '',
          name: 'hostile-slave',
        },
      },
    ];
    this.memories.forEach((memory, index) => {
      const size = (layout.regionSizes[index] ?? 0) + this.#announceExtra;
      list.push({ msg: { type: protocol.MsgType.AddRegion, index, size }, fd: memory.fd });
    });
    for (const [direction, type, fds] of [
      ['s2m', ring.RingType.S2M, this.eventfds.s2m],
      ['m2s', ring.RingType.M2S, this.eventfds.m2s],
    ] as const) {
      fds.forEach((eventfd, index) => {
        list.push({
          msg: {
            type: protocol.MsgType.AddRing,
            flags: direction === 's2m' ? protocol.AddRingFlags.S2M : 0,
            index,
            region: 0,
            offset: layout.ringOffset(type, index),
            log2RingSize: layout.log2RingSize,
            privateHdrSize: 0,
          },
          fd: eventfd.fd,
        });
      });
    }
    list.push({ msg: { type: protocol.MsgType.Connect, ifName: init.ifName ?? 'hostile0' } });
    return list;
  }

  /**
   * Sends `list` lock-step, one message per reply, and returns the last reply: CONNECTED on
   * success, otherwise the DISCONNECT, EOF or timeout that ended it.
   */
  async sendLockStep(list: readonly Outgoing[], timeoutMs = 5000): Promise<Received> {
    let last: Received = { kind: 'timeout' };
    for (const { msg, fd } of list) {
      if (!this.control.send(msg, fd)) return { kind: 'eof' };
      last = await this.control.next(timeoutMs);
      if (last.kind !== 'msg' || last.msg.type === protocol.MsgType.Disconnect) return last;
    }
    return last;
  }

  /**
   * HELLO, build, the honest handshake; resolves once CONNECTED arrived and the rings are reset as
   * a DPDK slave does. Throws with what came instead.
   */
  async handshake(init: { id?: number; secret?: string } = {}, layout: HostileSlaveLayout = {}): Promise<void> {
    await this.readHello();
    this.build(layout);
    const last = await this.sendLockStep(this.outgoing(init));
    if (last.kind !== 'msg' || last.msg.type !== protocol.MsgType.Connected) {
      throw new Error(`handshake ended with ${describe(last)}`);
    }
    for (const view of [...this.rings.s2m, ...this.rings.m2s]) view.resetIndices(0);
  }

  /** An honest transmitter on S2M ring `index` (copy mode, the layout's buffers). */
  transmitter(index = 0): ring.SlaveTransmitter {
    const layout = this.#layout();
    return new ring.SlaveTransmitter({
      ring: this.rings.s2m[index] as ring.RingView,
      regions: this.regions as Uint8Array[],
      buffers: layout.slotBuffers(ring.RingType.S2M, index),
    });
  }

  /** An honest receiver on M2S ring `index`; call `refill()` to post buffers to the master. */
  receiver(index = 0): ring.SlaveReceiver {
    const layout = this.#layout();
    return new ring.SlaveReceiver({
      ring: this.rings.m2s[index] as ring.RingView,
      regions: this.regions as Uint8Array[],
      buffers: layout.slotBuffers(ring.RingType.M2S, index),
    });
  }

  /**
   * Shrinks region `index` to `size` bytes (only possible when unsealed). Our own mapping goes
   * first: touching a mapping past the end of its file is a SIGBUS.
   */
  shrinkRegion(index: number, size: number): void {
    this.mappings[index]?.unmap();
    this.mappings[index] = undefined;
    this.regions[index] = undefined;
    (this.memories[index] as native.SharedMemory).truncate(size);
  }

  /** Ends everything: hangs up without DISCONNECT, unmaps, closes every fd. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.control.close();
    for (const mapping of this.mappings) mapping?.unmap();
    for (const memory of this.memories) memory.close();
    for (const eventfd of [...this.eventfds.s2m, ...this.eventfds.m2s]) eventfd.close();
  }

  #layout(): ring.RegionLayout {
    if (this.layout === undefined) throw new Error('call build() first');
    return this.layout;
  }
}
