import { type FdRef, type HandshakeAction, type Msg, MsgType, type NegotiatedParams, type RingInfo, SlaveHandshake } from '@memif/protocol';
import { BufferPool, initializeRegion, RegionLayout, RingType, type RingView, SlaveReceiver, SlaveTransmitter } from '@memif/ring';
import { ErrnoError, EventFd, type NativeBinding, type SeqpacketSocket } from '@memif/shm-native';
import { hostIndexStores } from './host-index-stores.ts';
import { Link, type LinkOwner, ringKey } from './link.ts';
import { type MemifConfig, SAFE_SEGMENT_LENGTH, wireModeOf } from './memif-options.ts';
import { SharedRegion } from './shared-region.ts';

/** Pool buffers per ring slot in zero-copy mode: one set posted or in flight, one for the app. */
const POOL_BUFFERS_PER_SLOT = 2;

/**
 * The slave's connection: it answers HELLO by creating all shared memory (one sealed memfd in
 * the DPDK/VPP layout, or rings plus a buffer pool region in zero-copy mode) and one eventfd per
 * ring, announces them lock-step, and on CONNECTED posts every receive buffer.
 */
export class SlaveLink extends Link {
  readonly config: MemifConfig;
  readonly #handshake: SlaveHandshake;
  #layout: RegionLayout | undefined;
  #rings: { s2m: RingView[]; m2s: RingView[] } | undefined;
  pool: BufferPool | undefined;
  /** ACKs received so far: the first answers INIT. */
  #acks = 0;

  constructor(socket: SeqpacketSocket, config: MemifConfig, owner: LinkOwner, binding?: NativeBinding) {
    super(socket, `slave ${config.name}`, binding);
    this.config = config;
    this.setOwner(owner);
    this.#handshake = new SlaveHandshake({
      appName: config.appName,
      ifName: config.name,
      id: config.id,
      mode: wireModeOf(config.mode),
      secret: config.secret,
      numS2mRings: config.txQueues,
      numM2sRings: config.rxQueues,
      log2RingSize: config.log2RingSize,
    });
  }

  protected get handshake(): SlaveHandshake {
    return this.#handshake;
  }

  protected override fdOf(ref: FdRef): number {
    if (ref.kind === 'region') return (this.regions[ref.index] as SharedRegion).fd;
    return (this.interrupts.get(ringKey(ref.direction, ref.index)) as EventFd).fd;
  }

  protected override observe(msg: Msg): void {
    if (msg.type === MsgType.Ack) this.#acks++;
  }

  /**
   * A master that ACKs INIT and closes before reading our next message (libmemif 4.0 does so for
   * an id it has no interface for) shows up as a failed send; say what that most likely means.
   */
  protected override explainHangup(reason: string, cause: unknown): string {
    const peerGone = ErrnoError.isInstance(cause) && (cause.code === 'EPIPE' || cause.code === 'ECONNRESET');
    if (!peerGone || this.#acks !== 1 || this.up) return reason;
    return `master closed the connection right after accepting INIT for id ${this.config.id} (${reason}): most likely it refused the id without giving a reason; check the id and secret`;
  }

  protected performRole(action: HandshakeAction): void {
    if (action.kind === 'negotiated') {
      this.peerName = action.params.peerName;
      this.apply(this.#handshake.prepared(this.#build(action.params)));
    }
  }

  protected override perform(action: HandshakeAction): void {
    // Queues exist before the owner hears "connected", and buffers are posted only now: a
    // master may reset the indices on CONNECT (spec §3.5).
    if (action.kind === 'connected') this.#startQueues();
    super.perform(action);
  }

  /** Regions, rings and eventfds for the negotiated parameters, initialised before ADD_RING. */
  #build(params: NegotiatedParams): { regions: { index: number; size: number }[]; rings: RingInfo[] } {
    const config = this.config;
    const layout = new RegionLayout({
      numS2mRings: params.numS2mRings,
      numM2sRings: params.numM2sRings,
      log2RingSize: params.log2RingSize,
      bufferSize: config.bufferSize,
      bufferPlacement: config.zeroCopy ? 'none' : 'region0',
    });
    this.#layout = layout;
    this.negotiated = { log2RingSize: layout.log2RingSize, bufferSize: config.bufferSize };
    const sizes = [...layout.regionSizes];
    if (config.zeroCopy) {
      const slots = (params.numS2mRings + params.numM2sRings) * layout.ringSize;
      sizes.push(slots * POOL_BUFFERS_PER_SLOT * config.bufferSize);
    }
    sizes.forEach((size, index) => {
      this.regions.push(SharedRegion.create(index, size, `memif-${config.name}-r${index}`, this.binding));
    });
    this.#rings = initializeRegion(
      layout,
      this.regions.map((r) => r.bytes),
      { indexStores: hostIndexStores() },
    );
    if (config.zeroCopy) {
      this.pool = new BufferPool({ region: (this.regions[1] as SharedRegion).bytes, regionIndex: 1, bufferSize: config.bufferSize });
    }
    const rings: RingInfo[] = [];
    for (const [direction, type, count] of [
      ['s2m', RingType.S2M, params.numS2mRings],
      ['m2s', RingType.M2S, params.numM2sRings],
    ] as const) {
      for (let index = 0; index < count; index++) {
        const options = this.binding === undefined ? {} : { binding: this.binding };
        this.interrupts.set(ringKey(direction, index), EventFd.create(options));
        rings.push({ direction, index, region: 0, offset: layout.ringOffset(type, index), log2RingSize: layout.log2RingSize });
      }
    }
    return { regions: this.regions.map((r) => ({ index: r.index, size: r.size })), rings };
  }

  #startQueues(): void {
    const layout = this.#layout as RegionLayout;
    const rings = this.#rings as { s2m: RingView[]; m2s: RingView[] };
    const regions = this.regions.map((r) => r.bytes);
    const pool = this.pool;
    this.txQueues = rings.s2m.map((ring, index) => {
      ring.resetIndices(0);
      // The master may be DPDK ≥ 23.03: no descriptor over its mbuf size unless told otherwise.
      const limit = this.config.fillWholeBuffers ? {} : { maxSegmentLength: SAFE_SEGMENT_LENGTH };
      const transmitter = new SlaveTransmitter(
        pool === undefined
          ? { ring, regions, buffers: layout.slotBuffers(RingType.S2M, index), ...limit }
          : { ring, regions, pool, ...limit },
      );
      return this.txQueue('s2m', index, transmitter);
    });
    this.rxQueues = rings.m2s.map((ring, index) => {
      ring.resetIndices(0);
      const receiver = new SlaveReceiver(
        pool === undefined ? { ring, regions, buffers: layout.slotBuffers(RingType.M2S, index) } : { ring, regions, pool },
      );
      receiver.refill();
      return this.rxQueue('m2s', index, ring, receiver, this.config);
    });
  }
}
