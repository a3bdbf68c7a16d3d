import {
  DisconnectReason,
  type HandshakeAction,
  MasterHandshake,
  type MasterInterfaceLookup,
  type Msg,
  MsgType,
  type RegionInfo,
  type RingInfo,
} from '@memif/protocol';
import { MasterReceiver, MasterTransmitter, RingView, verifyRing } from '@memif/ring';
import { closeFd, EventFd, type NativeBinding, type SeqpacketSocket } from '@memif/shm-native';
import { hostIndexStores } from './host-index-stores.ts';
import { refuseInterruptFd } from './interrupt-fd-check.ts';
import { Link, type LinkOwner, ringKey } from './link.ts';
import type { MemifConfig } from './memif-options.ts';
import { refusePeer } from './peer-policy.ts';
import { SharedRegion } from './shared-region.ts';
import { refuseUnsealedRegions, type UnsealedRegionPolicy, warnUnsealedRegionOnce } from './unsealed-region-policy.ts';

/** The HELLO fields a master fills from its configuration (highest indices, not counts). */
export interface HelloLimits {
  readonly maxM2sRing: number;
  readonly maxS2mRing: number;
  readonly maxLog2RingSize: number;
}

/** What a master link needs from the listener it was accepted on. */
export interface MasterLinkHost {
  readonly appName: string;
  /** What HELLO announces: the highest ring indices and log2 ring size a slave may use here. */
  helloLimits(): HelloLimits;
  lookup(id: number): MasterInterfaceLookup;
  /** INIT named interface `id`: it now owns the link. Returns the interface's config. */
  attach(id: number, link: MasterLink): { owner: LinkOwner; config: MemifConfig; unsealedRegions: UnsealedRegionPolicy };
  /**
   * The link ended before any interface took it; `requestedId` is the id its INIT asked for,
   * when one arrived, so that interface can report the refusal.
   */
  detached(link: MasterLink, requestedId: number | undefined, reason: string): void;
}

/**
 * The master's side of one accepted connection. Region and ring fds are kept until CONNECT; then
 * every region is checked against its real size and mapped, every ring checked (bounds,
 * alignment, cookie), indices reset and MASK_INT set for our receive mode, and only then
 * CONNECTED is sent.
 */
export class MasterLink extends Link {
  readonly #handshake: MasterHandshake;
  readonly #host: MasterLinkHost;
  readonly #regionFds = new Map<number, { info: RegionInfo; fd: number }>();
  config: MemifConfig | undefined;
  #unsealedRegions: UnsealedRegionPolicy = 'same-uid';
  #requestedId: number | undefined;

  constructor(socket: SeqpacketSocket, host: MasterLinkHost, binding?: NativeBinding) {
    super(socket, 'master', binding);
    this.#host = host;
    this.#handshake = new MasterHandshake({ appName: host.appName, lookup: (id) => host.lookup(id), ...host.helloLimits() });
  }

  protected get handshake(): MasterHandshake {
    return this.#handshake;
  }

  /** Sends HELLO; the master speaks first. */
  override start(timeoutMs: number): void {
    super.start(timeoutMs);
    this.apply(this.#handshake.start());
  }

  protected override observe(msg: Msg): void {
    if (msg.type === MsgType.Init) {
      this.#requestedId ??= msg.id;
      this.peerName = msg.name;
    }
  }

  protected performRole(action: HandshakeAction): void {
    switch (action.kind) {
      case 'attach': {
        this.peerName = action.peerName;
        const attached = this.#host.attach(action.id, this);
        this.config = attached.config;
        this.#unsealedRegions = attached.unsealedRegions;
        this.setOwner(attached.owner);
        // After attach, so the interface the slave asked for hears why it was refused.
        const refused = refusePeer(this.channel.socket, attached.config);
        if (refused !== undefined) {
          this.refusalCode = 'ERR_MEMIF_PEER_NOT_ALLOWED';
          this.apply(this.#handshake.disconnect(refused));
        }
        return;
      }
      case 'region':
        this.#regionFds.set(action.region.index, { info: action.region, fd: action.fd });
        return;
      case 'ring': {
        // Owned first, so teardown closes it whatever happens next.
        this.interrupts.set(ringKey(action.ring.direction, action.ring.index), EventFd.fromFd(action.fd, this.binding));
        const refused = refuseInterruptFd(action.fd);
        if (refused !== undefined) this.apply(this.#handshake.disconnect(refused));
        return;
      }
      case 'verify': {
        const refused = this.#connect(action.regions, action.rings);
        this.apply(refused === undefined ? this.#handshake.confirmConnected() : this.#handshake.disconnect(refused));
        return;
      }
      default:
        return;
    }
  }

  protected override releaseRole(): void {
    // Fds of regions that were never mapped; adopted ones left this map and closed with their region.
    for (const { fd } of this.#regionFds.values()) closeFd(fd, this.binding);
    this.#regionFds.clear();
    if (this.owner === undefined) this.#host.detached(this, this.#requestedId, this.closeReason ?? '');
  }

  /** Maps and checks everything; returns a reason to refuse, or undefined when all is well. */
  #connect(regions: readonly RegionInfo[], rings: readonly RingInfo[]): string | undefined {
    const refuseUnsealed = refuseUnsealedRegions(this.#unsealedRegions, this.channel.socket);
    for (const info of regions) {
      const entry = this.#regionFds.get(info.index);
      if (entry === undefined) return DisconnectReason.MissingRegionFd;
      this.#regionFds.delete(info.index);
      const adopted = SharedRegion.adopt(info.index, info.size, entry.fd, { refuseUnsealed, binding: this.binding });
      if (!(adopted instanceof SharedRegion)) return adopted.refused;
      this.regions.push(adopted);
      if (!adopted.details().sealedAgainstShrink) warnUnsealedRegionOnce(info.index, this.peerName);
    }
    const bytes = this.regions.map((r) => r.bytes);
    for (const ring of rings) {
      const check = verifyRing(bytes, ring);
      if (!check.ok) return `Wrong ring ${ring.direction} ${ring.index}: ${check.reason}`;
    }
    const config = this.config as MemifConfig;
    const indexStores = hostIndexStores();
    const view = (ring: RingInfo): RingView =>
      new RingView(bytes[ring.region] as Uint8Array, ring.offset, ring.log2RingSize, undefined, { indexStores });
    this.negotiated = negotiatedSizes(rings.map(view), config);
    const byIndex = (a: RingInfo, b: RingInfo): number => a.index - b.index;
    this.rxQueues = rings
      .filter((r) => r.direction === 's2m')
      .sort(byIndex)
      .map((info) => {
        const ring = view(info);
        ring.resetIndices(0);
        return this.rxQueue('s2m', info.index, ring, new MasterReceiver({ ring, regions: bytes }), config);
      });
    this.txQueues = rings
      .filter((r) => r.direction === 'm2s')
      .sort(byIndex)
      .map((info) => {
        const ring = view(info);
        ring.resetIndices(0);
        return this.txQueue('m2s', info.index, new MasterTransmitter({ ring, regions: bytes }));
      });
    return undefined;
  }
}

/**
 * The sizes the slave chose: its rings' size, and the buffer size it laid its descriptors out
 * with before CONNECT (DPDK, VPP, libmemif and we all set each descriptor's length to it). A slave
 * whose descriptors say nothing (zero-copy layouts may) leaves the configured buffer size.
 */
function negotiatedSizes(rings: readonly RingView[], config: MemifConfig): { log2RingSize: number; bufferSize: number } {
  const first = rings[0];
  if (first === undefined) return { log2RingSize: config.log2RingSize, bufferSize: config.bufferSize };
  const laidOut = rings.map((ring) => ring.descLength(0)).find((length) => length > 0);
  return { log2RingSize: first.log2Size, bufferSize: laidOut ?? config.bufferSize };
}
