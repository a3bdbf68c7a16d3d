import { ControlPeer, type Received } from './control-peer.ts';
import { native, protocol, ring } from './workspace.ts';

type Msg = protocol.Msg;

/** What the hostile master does with one message of the slave: the honest reply, or not. */
export type MasterAnswer =
  | 'honest'
  | 'silent'
  | 'hangup'
  | { readonly send: readonly Msg[] /** Close the connection right after sending. */; readonly thenHangUp?: boolean };

export interface ServeOptions {
  /** HELLO fields to change (wrong version, limits…), or raw bytes to send instead of HELLO. */
  readonly hello?: Partial<protocol.MsgHello> | Uint8Array;
  /** Send no HELLO at all (a master that never answers). */
  readonly noHello?: boolean;
  /** Decides the reply to each slave message (default: honest ACK / CONNECTED). */
  readonly answer?: (msg: Msg, step: number) => MasterAnswer;
  /** How long to wait for each slave message. Default 5000 ms. */
  readonly timeoutMs?: number;
}

/** A connected session of the hostile master: the slave's regions mapped, its rings in view. */
export interface MasterSession {
  readonly control: ControlPeer;
  readonly regions: Uint8Array[];
  readonly rings: { s2m: ring.RingView[]; m2s: ring.RingView[] };
  readonly eventfds: { s2m: native.EventFd[]; m2s: native.EventFd[] };
  /** An honest receiver on S2M ring `index`. */
  receiver(index?: number): ring.MasterReceiver;
  /** An honest transmitter on M2S ring `index`. */
  transmitter(index?: number): ring.MasterTransmitter;
  close(): void;
}

/**
 * A scriptable memif master listening on a real socket: it accepts our slave, and answers its
 * handshake honestly or not (wrong HELLO, silence, hang-up, messages out of order). Once
 * connected it maps the slave's regions so a test can corrupt indices, descriptors and flags, or
 * storm the slave's eventfds. Always {@link close} it (it unlinks its socket file).
 */
export class HostileMaster {
  readonly address: native.UnixAddress;
  readonly #listener: native.SeqpacketSocket;
  readonly #watcher: native.FdWatcher;
  readonly #waiting: native.SeqpacketSocket[] = [];
  #onAccept: (() => void) | undefined;
  readonly #sessions: { close(): void }[] = [];
  #closed = false;

  private constructor(address: native.UnixAddress) {
    this.address = address;
    this.#listener = native.SeqpacketSocket.listen(address, { passCredentials: true });
    this.#watcher = new native.FdWatcher(this.#listener.fd, () => {
      for (let s = this.#listener.accept(); s !== null; s = this.#listener.accept()) this.#waiting.push(s);
      this.#onAccept?.();
    });
    this.#watcher.start('readable');
  }

  static listen(address: native.UnixAddress): HostileMaster {
    return new HostileMaster(address);
  }

  /** The next connection, as a raw control peer (nothing sent yet). */
  async accept(timeoutMs = 5000): Promise<ControlPeer> {
    const deadline = Date.now() + timeoutMs;
    while (this.#waiting.length === 0) {
      if (Date.now() > deadline) throw new Error(`no slave connected within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 20);
        this.#onAccept = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    const control = new ControlPeer(this.#waiting.shift() as native.SeqpacketSocket);
    this.#sessions.push(control);
    return control;
  }

  /**
   * Accepts the next slave and runs the master's side of the handshake, misbehaving as `options`
   * say. Resolves with the session once CONNECTED was sent, or with what ended the handshake.
   */
  async serve(options: ServeOptions = {}): Promise<MasterSession | { ended: Received; control: ControlPeer }> {
    const control = await this.accept(options.timeoutMs);
    const timeoutMs = options.timeoutMs ?? 5000;
    if (options.noHello !== true) {
      if (options.hello instanceof Uint8Array) control.sendRaw(options.hello);
      else control.send({ ...HELLO, ...options.hello });
    }
    const regionFds: number[] = [];
    const regionSizes: number[] = [];
    const ringInfos: { s2m: protocol.MsgAddRing[]; m2s: protocol.MsgAddRing[] } = { s2m: [], m2s: [] };
    const eventfds: { s2m: native.EventFd[]; m2s: native.EventFd[] } = { s2m: [], m2s: [] };
    const end = (received: Received): { ended: Received; control: ControlPeer } => {
      for (const fd of regionFds) if (fd !== undefined) native.closeFd(fd);
      for (const eventfd of [...eventfds.s2m, ...eventfds.m2s]) eventfd?.close();
      return { ended: received, control };
    };
    for (let step = 0; ; step++) {
      const received = await control.next(timeoutMs);
      if (received.kind !== 'msg' || received.msg.type === protocol.MsgType.Disconnect) return end(received);
      const { msg, fd } = received;
      const answer = options.answer?.(msg, step) ?? 'honest';
      if (answer === 'hangup') {
        control.close();
        return end(received);
      }
      if (answer === 'silent') continue;
      if (answer !== 'honest') {
        for (const m of answer.send) control.send(m);
        if (answer.thenHangUp === true) {
          control.close();
          return end(received);
        }
        continue;
      }
      if (msg.type === protocol.MsgType.AddRegion && fd !== undefined) {
        regionFds[msg.index] = control.adoptFd(fd);
        regionSizes[msg.index] = msg.size;
      }
      if (msg.type === protocol.MsgType.AddRing && fd !== undefined) {
        const direction = (msg.flags & protocol.AddRingFlags.S2M) !== 0 ? 's2m' : 'm2s';
        ringInfos[direction][msg.index] = msg;
        eventfds[direction][msg.index] = native.EventFd.fromFd(control.adoptFd(fd));
      }
      if (msg.type !== protocol.MsgType.Connect) {
        control.send({ type: protocol.MsgType.Ack });
        continue;
      }
      const session = connectSession(control, regionFds, regionSizes, ringInfos, eventfds);
      this.#sessions.push(session);
      control.send({ type: protocol.MsgType.Connected, ifName: 'hostile-master' });
      return session;
    }
  }

  /** Closes every connection and the listener, and unlinks the socket file. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const session of this.#sessions) session.close();
    for (const socket of this.#waiting) socket.close();
    this.#watcher.close();
    this.#listener.close();
    if ('path' in this.address) native.unlinkPath(this.address.path, { ignoreMissing: true });
  }
}

const HELLO: protocol.MsgHello = {
  type: protocol.MsgType.Hello,
  name: 'hostile-master',
  minVersion: protocol.MEMIF_VERSION,
  maxVersion: protocol.MEMIF_VERSION,
  maxRegion: 255,
  maxM2sRing: 255,
  maxS2mRing: 255,
  maxLog2RingSize: 14,
};

/** Maps what the slave announced (the master resets the indices on CONNECT, as DPDK does). */
function connectSession(
  control: ControlPeer,
  regionFds: number[],
  regionSizes: number[],
  infos: { s2m: protocol.MsgAddRing[]; m2s: protocol.MsgAddRing[] },
  eventfds: { s2m: native.EventFd[]; m2s: native.EventFd[] },
): MasterSession {
  const memories = regionFds.map((fd) => native.SharedMemory.fromFd(fd));
  const mappings = memories.map((memory, i) => memory.map(regionSizes[i]));
  const regions = mappings.map((mapping, i) => new Uint8Array(mapping.buffer, 0, regionSizes[i]));
  const view = (info: protocol.MsgAddRing): ring.RingView => {
    const v = new ring.RingView(regions[info.region] as Uint8Array, info.offset, info.log2RingSize);
    v.resetIndices(0);
    return v;
  };
  const rings = { s2m: infos.s2m.map(view), m2s: infos.m2s.map(view) };
  let closed = false;
  return {
    control,
    regions,
    rings,
    eventfds,
    receiver: (index = 0) => new ring.MasterReceiver({ ring: rings.s2m[index] as ring.RingView, regions }),
    transmitter: (index = 0) => new ring.MasterTransmitter({ ring: rings.m2s[index] as ring.RingView, regions }),
    close: () => {
      if (closed) return;
      closed = true;
      control.close();
      for (const mapping of mappings) mapping.unmap();
      for (const memory of memories) memory.close();
      for (const eventfd of [...eventfds.s2m, ...eventfds.m2s]) eventfd.close();
    },
  };
}

/** True when `value` is a connected session rather than a handshake that ended early. */
export function isSession(value: MasterSession | { ended: Received }): value is MasterSession {
  return 'rings' in value;
}
