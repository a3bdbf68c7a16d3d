import { AddRingFlags } from '../add-ring-flags.ts';
import { MAX_LOG2_RING_SIZE_ACCEPTED, MAX_REGIONS, MEMIF_VERSION, NAME_SIZE, SECRET_SIZE, UINT16_MAX } from '../constants.ts';
import { type InterfaceMode, isInterfaceMode } from '../interface-mode.ts';
import type { MsgHello } from '../messages/hello.ts';
import type { Msg } from '../msg.ts';
import { MsgType } from '../msg-type.ts';
import { ProtocolError } from '../protocol-error.ts';
import { checkString, checkUint } from '../wire.ts';
import { DisconnectReason } from './disconnect-reason.ts';
import type { FdRef, HandshakeAction, NegotiatedParams, RegionInfo, RingInfo } from './handshake-action.ts';
import { HandshakeMachine } from './handshake-machine.ts';

export interface SlaveHandshakeOptions {
  /** Our application name in INIT (at most 31 bytes). */
  readonly appName: string;
  /** Our interface name in CONNECT (at most 31 bytes), e.g. DPDK's `net_memif0`. */
  readonly ifName: string;
  /** The master interface to attach to (u32). */
  readonly id: number;
  readonly mode: InterfaceMode;
  /** At most 23 bytes; empty or absent for none. */
  readonly secret?: string | undefined;
  /** Wanted S2M rings (our tx queues); the master's HELLO may lower it. */
  readonly numS2mRings: number;
  /** Wanted M2S rings (our rx queues); the master's HELLO may lower it. */
  readonly numM2sRings: number;
  /** Wanted log2 ring size; the master's HELLO may lower it. */
  readonly log2RingSize: number;
}

/** The memory the slave built for the negotiated parameters, to announce to the master. */
export interface SlaveLayout {
  readonly regions: readonly RegionInfo[];
  readonly rings: readonly RingInfo[];
}

type SlaveState = 'awaitHello' | 'preparing' | 'awaitAck' | 'awaitConnected' | 'connected';

type Queued = { readonly msg: Msg; readonly attach?: FdRef };

/**
 * The slave's side of the handshake, lock-step as every reference slave is: one message per reply
 * (INIT, regions in order, S2M rings, M2S rings, CONNECT).
 */
export class SlaveHandshake extends HandshakeMachine<SlaveState> {
  readonly #options: SlaveHandshakeOptions;
  #params: NegotiatedParams | undefined;
  readonly #queue: Queued[] = [];

  constructor(options: SlaveHandshakeOptions) {
    super('awaitHello');
    checkString(options.appName, NAME_SIZE, 'appName');
    checkString(options.ifName, NAME_SIZE, 'ifName');
    checkString(options.secret ?? '', SECRET_SIZE, 'secret');
    checkUint(options.id, 32, 'id');
    if (!isInterfaceMode(options.mode)) {
      throw new ProtocolError('ERR_MEMIF_CONFIG', `mode must be 0, 1 or 2, got ${String(options.mode)}`, 'mode');
    }
    checkCount(options.numS2mRings, 'numS2mRings');
    checkCount(options.numM2sRings, 'numM2sRings');
    if (!Number.isInteger(options.log2RingSize) || options.log2RingSize < 1 || options.log2RingSize > 14) {
      throw new ProtocolError(
        'ERR_MEMIF_CONFIG',
        `log2RingSize must be an integer from 1 to 14, got ${String(options.log2RingSize)}`,
        'log2RingSize',
      );
    }
    this.#options = options;
  }

  /** The run parameters, once HELLO has arrived. */
  get params(): NegotiatedParams | undefined {
    return this.#params;
  }

  /**
   * After a `negotiated` action: the regions and rings exist and are initialised. Returns INIT to
   * send; the rest follows one message per ACK.
   */
  prepared(layout: SlaveLayout): HandshakeAction[] {
    this.assertState('preparing', 'prepared');
    const params = this.#params as NegotiatedParams;
    checkLayout(layout, params);
    const o = this.#options;
    this.#queue.push({
      msg: { type: MsgType.Init, version: MEMIF_VERSION, id: o.id, mode: o.mode, secret: o.secret ?? '', name: o.appName },
    });
    for (const region of layout.regions) {
      this.#queue.push({
        msg: { type: MsgType.AddRegion, index: region.index, size: region.size },
        attach: { kind: 'region', index: region.index },
      });
    }
    for (const direction of ['s2m', 'm2s'] as const) {
      const rings = layout.rings.filter((r) => r.direction === direction).sort((a, b) => a.index - b.index);
      for (const ring of rings) {
        this.#queue.push({
          msg: {
            type: MsgType.AddRing,
            flags: direction === 's2m' ? AddRingFlags.S2M : 0,
            index: ring.index,
            region: ring.region,
            offset: ring.offset,
            log2RingSize: ring.log2RingSize,
            privateHdrSize: 0,
          },
          attach: { kind: 'ring', direction, index: ring.index },
        });
      }
    }
    this.#queue.push({ msg: { type: MsgType.Connect, ifName: o.ifName } });
    this.setState('awaitAck');
    return [this.#sendNext()];
  }

  protected handle(msg: Msg): HandshakeAction[] {
    switch (this.state) {
      case 'awaitHello':
        return msg.type === MsgType.Hello ? this.#onHello(msg) : this.unexpected(msg);
      case 'awaitAck':
        return msg.type === MsgType.Ack ? [this.#sendNext()] : this.unexpected(msg);
      case 'awaitConnected':
        if (msg.type !== MsgType.Connected) return this.unexpected(msg);
        this.setState('connected');
        return [{ kind: 'connected', peerIfName: msg.ifName }];
      default:
        return this.unexpected(msg);
    }
  }

  #onHello(hello: MsgHello): HandshakeAction[] {
    if (hello.minVersion > MEMIF_VERSION || hello.maxVersion < MEMIF_VERSION) {
      return this.fail(DisconnectReason.IncompatibleVersion);
    }
    const o = this.#options;
    const log2RingSize = Math.min(o.log2RingSize, hello.maxLog2RingSize);
    if (log2RingSize < 1) return this.fail(DisconnectReason.InvalidRingSize);
    const params: NegotiatedParams = {
      numS2mRings: Math.min(o.numS2mRings, hello.maxS2mRing + 1),
      numM2sRings: Math.min(o.numM2sRings, hello.maxM2sRing + 1),
      log2RingSize,
      peerName: hello.name,
    };
    this.#params = params;
    this.setState('preparing');
    return [{ kind: 'negotiated', params }];
  }

  #sendNext(): HandshakeAction {
    const next = this.#queue.shift() as Queued;
    if (this.#queue.length === 0) this.setState('awaitConnected');
    return next.attach === undefined ? { kind: 'send', msg: next.msg } : { kind: 'send', msg: next.msg, attach: next.attach };
  }
}

function checkCount(value: number, field: string): void {
  if (!Number.isInteger(value) || value < 1 || value > UINT16_MAX + 1) {
    throw new ProtocolError('ERR_MEMIF_CONFIG', `${field} must be an integer from 1 to 65536, got ${String(value)}`, field);
  }
}

function checkLayout(layout: SlaveLayout, params: NegotiatedParams): void {
  const bad = (why: string): never => {
    throw new ProtocolError('ERR_MEMIF_CONFIG', `the prepared layout does not match the negotiation: ${why}`);
  };
  if (layout.regions.length === 0 || layout.regions.length > MAX_REGIONS) bad('it needs 1 to 256 regions');
  layout.regions.forEach((region, i) => {
    if (region.index !== i) bad(`region ${i} has index ${region.index}`);
    if (!Number.isSafeInteger(region.size) || region.size <= 0) bad(`region ${i} has size ${region.size}`);
  });
  for (const direction of ['s2m', 'm2s'] as const) {
    const want = direction === 's2m' ? params.numS2mRings : params.numM2sRings;
    const indices = layout.rings.filter((r) => r.direction === direction).map((r) => r.index);
    if (indices.length !== want || !indices.every((_, i) => indices.includes(i))) {
      bad(`${direction} rings must be indices 0..${want - 1}`);
    }
  }
  for (const ring of layout.rings) {
    if (ring.region >= layout.regions.length) bad(`ring ${ring.direction} ${ring.index} is in an unknown region`);
    if (ring.log2RingSize < 1 || ring.log2RingSize > MAX_LOG2_RING_SIZE_ACCEPTED) bad('bad log2RingSize');
    checkUint(ring.offset, 32, 'ring.offset');
  }
}
