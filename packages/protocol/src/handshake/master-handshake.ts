import { ringDirectionFromFlags } from '../add-ring-flags.ts';
import {
  DEFAULT_MAX_LOG2_RING_SIZE,
  DEFAULT_MAX_REGION,
  DEFAULT_MAX_RING,
  MAX_LOG2_RING_SIZE_ACCEPTED,
  MAX_REGIONS,
  MEMIF_VERSION,
  NAME_SIZE,
  SECRET_SIZE,
} from '../constants.ts';
import type { InterfaceMode } from '../interface-mode.ts';
import type { MsgAddRegion } from '../messages/add-region.ts';
import type { MsgAddRing } from '../messages/add-ring.ts';
import type { MsgInit } from '../messages/init.ts';
import type { Msg } from '../msg.ts';
import { MsgType } from '../msg-type.ts';
import { checkString, checkUint } from '../wire.ts';
import { DisconnectReason } from './disconnect-reason.ts';
import type { HandshakeAction, RegionInfo, RingInfo } from './handshake-action.ts';
import { HandshakeMachine } from './handshake-machine.ts';

/** A master interface as the handshake needs to see it. */
export interface MasterInterfaceConfig {
  readonly mode: InterfaceMode;
  /** When set, the slave must present the same secret. */
  readonly secret?: string | undefined;
  /** The most S2M rings accepted (the master's rx queue count). */
  readonly maxS2mRings: number;
  /** The most M2S rings accepted (the master's tx queue count). */
  readonly maxM2sRings: number;
  /** Our interface name, sent in CONNECTED. */
  readonly ifName: string;
}

/** The answer to "which interface has this id on our socket?". */
export type MasterInterfaceLookup =
  | { readonly status: 'available'; readonly config: MasterInterfaceConfig }
  | { readonly status: 'not-found' }
  | { readonly status: 'busy' };

export interface MasterHandshakeOptions {
  /** Our application name in HELLO (at most 31 bytes). */
  readonly appName: string;
  /** Finds the interface a slave asks for in INIT; called once per connection. */
  readonly lookup: (id: number) => MasterInterfaceLookup;
  /**
   * Limits advertised in HELLO, as highest *indices* (a slave takes `min(its count, max + 1)`
   * rings); DPDK's 255/255/255/14 by default. A master that refuses ring indices at or above its
   * queue counts should announce `count - 1`, so that slaves which honour HELLO adapt.
   */
  readonly maxRegion?: number;
  readonly maxM2sRing?: number;
  readonly maxS2mRing?: number;
  readonly maxLog2RingSize?: number;
}

type MasterState = 'new' | 'awaitInit' | 'awaitSetup' | 'verifying' | 'connected';

/**
 * The master's side of one control connection: HELLO, then INIT, the regions and rings, CONNECT,
 * with the checks of spec §1.7 and §8 and DPDK's reason strings.
 */
export class MasterHandshake extends HandshakeMachine<MasterState> {
  readonly #options: MasterHandshakeOptions;
  #config: MasterInterfaceConfig | undefined;
  #id: number | undefined;
  #peerIfName = '';
  readonly #regions: RegionInfo[] = [];
  readonly #rings: RingInfo[] = [];

  constructor(options: MasterHandshakeOptions) {
    super('new');
    checkString(options.appName, NAME_SIZE, 'appName');
    for (const key of ['maxRegion', 'maxM2sRing', 'maxS2mRing'] as const) {
      const value = options[key];
      if (value !== undefined) checkUint(value, 16, key);
    }
    if (options.maxLog2RingSize !== undefined) checkUint(options.maxLog2RingSize, 8, 'maxLog2RingSize');
    this.#options = options;
  }

  /** The interface id the slave attached to, once INIT was accepted. */
  get interfaceId(): number | undefined {
    return this.#id;
  }

  get regions(): readonly RegionInfo[] {
    return this.#regions;
  }

  get rings(): readonly RingInfo[] {
    return this.#rings;
  }

  /** Call right after accept: the master speaks first. */
  start(): HandshakeAction[] {
    this.assertState('new', 'start');
    this.setState('awaitInit');
    const o = this.#options;
    return [
      {
        kind: 'send',
        msg: {
          type: MsgType.Hello,
          name: o.appName,
          minVersion: MEMIF_VERSION,
          maxVersion: MEMIF_VERSION,
          maxRegion: o.maxRegion ?? DEFAULT_MAX_REGION,
          maxM2sRing: o.maxM2sRing ?? DEFAULT_MAX_RING,
          maxS2mRing: o.maxS2mRing ?? DEFAULT_MAX_RING,
          maxLog2RingSize: o.maxLog2RingSize ?? DEFAULT_MAX_LOG2_RING_SIZE,
        },
      },
    ];
  }

  /** After a `verify` action: the regions are mapped and the rings check out. */
  confirmConnected(): HandshakeAction[] {
    this.assertState('verifying', 'confirmConnected');
    this.setState('connected');
    const ifName = this.#config?.ifName ?? '';
    return [
      { kind: 'send', msg: { type: MsgType.Connected, ifName } },
      { kind: 'connected', peerIfName: this.#peerIfName },
    ];
  }

  protected handle(msg: Msg, fd: number | undefined): HandshakeAction[] {
    switch (this.state) {
      case 'awaitInit':
        return msg.type === MsgType.Init ? this.#onInit(msg) : this.unexpected(msg);
      case 'awaitSetup':
        if (msg.type === MsgType.AddRegion) return this.#onAddRegion(msg, fd);
        if (msg.type === MsgType.AddRing) return this.#onAddRing(msg, fd);
        if (msg.type === MsgType.Connect) return this.#onConnect(msg.ifName);
        return this.unexpected(msg);
      default:
        return this.unexpected(msg);
    }
  }

  #onInit(msg: MsgInit): HandshakeAction[] {
    if (msg.version !== MEMIF_VERSION) return this.fail(DisconnectReason.IncompatibleVersion);
    const found = this.#options.lookup(msg.id);
    if (found.status === 'not-found') return this.fail(DisconnectReason.IdNotFound);
    if (found.status === 'busy') return this.fail(DisconnectReason.AlreadyConnected);
    const config = found.config;
    if (msg.mode !== config.mode) return this.fail(DisconnectReason.ModeMismatch);
    const secret = config.secret ?? '';
    if (secret !== '') {
      if (msg.secret === '') return this.fail(DisconnectReason.SecretRequired);
      if (!secretsMatch(msg.secret, secret)) return this.fail(DisconnectReason.IncorrectSecret);
    }
    this.#config = config;
    this.#id = msg.id;
    this.setState('awaitSetup');
    return [
      { kind: 'attach', id: msg.id, mode: msg.mode, peerName: msg.name },
      { kind: 'send', msg: { type: MsgType.Ack } },
    ];
  }

  #onAddRegion(msg: MsgAddRegion, fd: number | undefined): HandshakeAction[] {
    if (fd === undefined) return this.fail(DisconnectReason.MissingRegionFd);
    if (msg.index !== this.#regions.length || msg.index >= MAX_REGIONS) {
      return this.fail(DisconnectReason.InvalidRegionIndex);
    }
    if (msg.size === 0) return this.fail(DisconnectReason.InvalidRegionSize);
    const region: RegionInfo = { index: msg.index, size: msg.size };
    this.#regions.push(region);
    return [
      { kind: 'region', region, fd },
      { kind: 'send', msg: { type: MsgType.Ack } },
    ];
  }

  #onAddRing(msg: MsgAddRing, fd: number | undefined): HandshakeAction[] {
    if (fd === undefined) return this.fail(DisconnectReason.MissingInterruptFd);
    if (msg.privateHdrSize !== 0) return this.fail(DisconnectReason.PrivateHeadersNotSupported);
    if (msg.log2RingSize < 1 || msg.log2RingSize > MAX_LOG2_RING_SIZE_ACCEPTED) {
      return this.fail(DisconnectReason.InvalidRingSize);
    }
    const direction = ringDirectionFromFlags(msg.flags);
    const config = this.#config as MasterInterfaceConfig;
    const limit = direction === 's2m' ? config.maxS2mRings : config.maxM2sRings;
    const duplicate = this.#rings.some((r) => r.direction === direction && r.index === msg.index);
    if (duplicate) return this.fail(DisconnectReason.InvalidRingIndex);
    if (msg.index >= limit) {
      // DPDK's reason first, so tools matching it still match; then what this interface takes.
      const queues = direction === 's2m' ? 'rx' : 'tx';
      return this.fail(
        `${DisconnectReason.InvalidRingIndex}: ${direction.toUpperCase()} ring ${msg.index}, the master has ${limit} ${queues} queue${limit === 1 ? '' : 's'}`,
      );
    }
    if (msg.region >= this.#regions.length) return this.fail(DisconnectReason.InvalidRingRegion);
    const ring: RingInfo = {
      direction,
      index: msg.index,
      region: msg.region,
      offset: msg.offset,
      log2RingSize: msg.log2RingSize,
    };
    this.#rings.push(ring);
    return [
      { kind: 'ring', ring, fd },
      { kind: 'send', msg: { type: MsgType.Ack } },
    ];
  }

  #onConnect(peerIfName: string): HandshakeAction[] {
    const contiguous = (direction: RingInfo['direction']): boolean => {
      const indices = this.#rings.filter((r) => r.direction === direction).map((r) => r.index);
      return indices.length > 0 && indices.every((_, i) => indices.includes(i));
    };
    if (!contiguous('s2m') || !contiguous('m2s')) return this.fail(DisconnectReason.MissingRing);
    this.#peerIfName = peerIfName;
    this.setState('verifying');
    return [{ kind: 'verify', peerIfName, regions: this.#regions, rings: this.#rings }];
  }
}

/**
 * DPDK compares the first 24 bytes (strncmp); VPP compares exactly. Our secrets are at most 23
 * bytes and NUL-free, so exact comparison is what both mean.
 */
function secretsMatch(offered: string, expected: string): boolean {
  return offered.length <= SECRET_SIZE && offered === expected;
}
