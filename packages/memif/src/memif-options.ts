import { InterfaceMode, MAX_SECRET_LENGTH } from '@memif/protocol';
import { formatMacAddress, parseMacAddress, randomMacAddress } from './mac-address.ts';
import { MemifError } from './memif-error.ts';
import { UNSEALED_REGION_POLICIES, type UnsealedRegionPolicy } from './unsealed-region-policy.ts';

export type MemifRole = 'master' | 'slave';
export type MemifRoleSpelling = MemifRole | 'server' | 'client';
export type MemifMode = 'ethernet' | 'ip' | 'punt-inject';
export type MemifRxMode = 'interrupt' | 'polling' | 'adaptive';

/**
 * Options of one memif interface. They mirror DPDK's `net_memif` devargs (the names in quotes),
 * with DPDK 22.11's defaults.
 */
export interface MemifOptions {
  /** "id": the interface id on the socket, u32. Default 0. */
  id?: number;
  /** "role": `master`/`server` listens, `slave`/`client` connects. Default slave. */
  role?: MemifRoleSpelling;
  /** "bsize": buffer size in bytes, 64..65535. Default 2048. Only the slave uses it. */
  bufferSize?: number;
  /** "rsize": log2 of the ring size, 1..14. Default 10. */
  log2RingSize?: number;
  /**
   * "socket": the control socket. Default `/run/memif.sock`, an abstract name as in DPDK
   * 22.11 (not the `/tmp/memif.sock` of older guides).
   */
  socket?: string;
  /** "socket-abstract": whether `socket` is an abstract name. Default true, as DPDK. */
  socketAbstract?: boolean;
  /** "owner-uid" / "owner-gid": chown the listener file (master, filesystem socket). */
  ownerUid?: number;
  ownerGid?: number;
  /** File mode of the listener socket file (master, filesystem socket), e.g. 0o660. */
  socketMode?: number;
  /** "mac": our MAC address. Default: random, locally administered. */
  mac?: string;
  /** "secret": at most 23 bytes; must match the master's. */
  secret?: string;
  /** "zero-copy": slave only; frames are sent from and received into pool buffers. */
  zeroCopy?: boolean;
  /**
   * Slave: put up to `bufferSize` bytes in each descriptor we transmit. Default false: at most
   * 2048 ({@link SAFE_SEGMENT_LENGTH}), chaining the rest, because DPDK ≥ 23.03 copies each
   * received descriptor into one 2048-byte mbuf without checking its length (a longer one
   * corrupts or crashes it). Set it only for masters known to take whole slots: VPP, libmemif,
   * memif for Node. A master fills the buffers its slave posted, so it has no such choice.
   */
  fillWholeBuffers?: boolean;
  /** Receive queues (M2S rings on a slave, S2M rings on a master). Default 1. */
  rxQueues?: number;
  /** Transmit queues. Default 1. */
  txQueues?: number;
  /** What the rings carry. Default ethernet. */
  mode?: MemifMode;
  /**
   * "rx-mode": how we learn of received frames. Default interrupt.
   * - `'interrupt'`: MASK_INT clear; the peer signals the eventfd after each burst and the event
   *   loop wakes us. No CPU while idle; each wake-up costs the kernel's scheduling latency.
   * - `'polling'`: MASK_INT set; the ring is checked on every turn of the event loop (a core
   *   stays busy, idle or not).
   * - `'adaptive'`: interrupts while idle; after a frame arrives, MASK_INT is set and the ring
   *   is checked in short spins between turns of the event loop, until no frame came for
   *   {@link adaptiveIdleMicroseconds}; then MASK_INT is cleared and interrupts take over again.
   */
  rxMode?: MemifRxMode;
  /**
   * "adaptive-idle-us": with `rxMode: 'adaptive'`, how long (µs) a receive queue keeps polling
   * without a new frame before it asks for interrupts again, 1..1000000. Default 200. Longer
   * catches replies after longer gaps without a wake-up, at the price of a busy core for that
   * long after the last frame.
   */
  adaptiveIdleMicroseconds?: number;
  /** Slave: milliseconds between connection attempts. Default 1000. */
  reconnectInterval?: number;
  /** A connection whose handshake has not finished after this many ms is dropped. Default 5000. */
  handshakeTimeout?: number;
  /** Our interface name in CONNECT/CONNECTED (DPDK sends its ethdev name). Default `memif<id>`. */
  name?: string;
  /** Our application name in HELLO/INIT. Default `memif-node <version>`. */
  appName?: string;
  /**
   * Master: unlink a socket file left by a process that is gone (nothing accepts on it) instead
   * of failing with EADDRINUSE. A file some process still listens on is never replaced.
   * Default false.
   */
  replaceStaleSocket?: boolean;
  /**
   * Master: which peers may give us regions not sealed against shrinking (F_SEAL_SHRINK); a peer
   * that shrinks a mapped file makes our next access fault (SIGBUS). DPDK, VPP and libmemif seal
   * their copy-mode regions; DPDK's zero-copy regions are unsealed. Default `'same-uid'`: only a
   * peer running as our own uid (SO_PEERCRED), which could harm us by other means anyway;
   * `'refuse'`: none; `'accept'`: any peer. An accepted unsealed region is reported once as a
   * process warning (code MEMIF_UNSEALED_REGION) and in `details().regions[].sealedAgainstShrink`.
   * Devargs: `unsealed-regions=refuse|same-uid|accept`.
   */
  unsealedRegions?: UnsealedRegionPolicy;
  /** Master: the same as `unsealedRegions: 'refuse'` (kept for existing callers). Default false. */
  requireSealedRegions?: boolean;
  /**
   * Only peers running as one of these uids may connect (SO_PEERCRED of the control socket):
   * a master checks the slave at INIT, a slave checks the master after connecting. Default: any.
   */
  allowedUids?: readonly number[];
  /** Only peers whose primary gid is one of these may connect, as {@link allowedUids}. Default: any. */
  allowedGids?: readonly number[];
}

/** Options after validation, with every default filled in. */
export interface MemifConfig {
  readonly id: number;
  readonly role: MemifRole;
  readonly bufferSize: number;
  readonly log2RingSize: number;
  readonly socket: string;
  readonly socketAbstract: boolean;
  readonly ownerUid: number | undefined;
  readonly ownerGid: number | undefined;
  readonly socketMode: number | undefined;
  readonly mac: string;
  readonly secret: string;
  readonly zeroCopy: boolean;
  readonly fillWholeBuffers: boolean;
  readonly rxQueues: number;
  readonly txQueues: number;
  readonly mode: MemifMode;
  readonly rxMode: MemifRxMode;
  readonly adaptiveIdleMicroseconds: number;
  readonly reconnectInterval: number;
  readonly handshakeTimeout: number;
  readonly name: string;
  readonly appName: string;
  readonly replaceStaleSocket: boolean;
  /** True exactly when `unsealedRegions` is `'refuse'`. */
  readonly requireSealedRegions: boolean;
  readonly unsealedRegions: UnsealedRegionPolicy;
  /** Undefined: any uid. */
  readonly allowedUids: readonly number[] | undefined;
  /** Undefined: any gid. */
  readonly allowedGids: readonly number[] | undefined;
}

export const DEFAULT_SOCKET = '/run/memif.sock';
/**
 * Most bytes a slave puts in one descriptor unless told to fill whole buffers: the data room of a
 * DPDK mbuf, into which DPDK ≥ 23.03 copies each descriptor unchecked (spec §7.3).
 */
export const SAFE_SEGMENT_LENGTH = 2048;
export const DEFAULT_APP_NAME = 'memif-node';
/** Default of {@link MemifOptions.adaptiveIdleMicroseconds}. */
export const DEFAULT_ADAPTIVE_IDLE_MICROSECONDS = 200;

const MAX_SOCKET_PATH = 107;
const MAX_ABSTRACT_NAME = 106;

function invalid(option: string, message: string): MemifError {
  return new MemifError('ERR_MEMIF_INVALID_OPTION', `${option}: ${message}`, { option });
}

function integerIn(options: MemifOptions, key: keyof MemifOptions, min: number, max: number, fallback: number): number;
function integerIn(options: MemifOptions, key: keyof MemifOptions, min: number, max: number): number | undefined;
function integerIn(options: MemifOptions, key: keyof MemifOptions, min: number, max: number, fallback?: number): number | undefined {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(key, `must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function oneOf<T extends string>(options: MemifOptions, key: keyof MemifOptions, allowed: readonly T[], fallback: T): T {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalid(key, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

function booleanOption(options: MemifOptions, key: keyof MemifOptions, fallback: boolean): boolean {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalid(key, `must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

const KNOWN_OPTIONS = new Set<string>([
  'id',
  'role',
  'bufferSize',
  'log2RingSize',
  'socket',
  'socketAbstract',
  'ownerUid',
  'ownerGid',
  'socketMode',
  'mac',
  'secret',
  'zeroCopy',
  'fillWholeBuffers',
  'rxQueues',
  'txQueues',
  'mode',
  'rxMode',
  'adaptiveIdleMicroseconds',
  'reconnectInterval',
  'handshakeTimeout',
  'name',
  'appName',
  'replaceStaleSocket',
  'requireSealedRegions',
  'unsealedRegions',
  'allowedUids',
  'allowedGids',
]);

function idList(options: MemifOptions, key: 'allowedUids' | 'allowedGids'): readonly number[] | undefined {
  const value = options[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((id) => Number.isInteger(id) && id >= 0 && id <= 0xffff_ffff)) {
    throw invalid(key, `must be an array of integer ids from 0 to ${0xffff_ffff}, got ${JSON.stringify(value)}`);
  }
  return Object.freeze([...value]);
}

/** Validates `options`, fills in the defaults, and says exactly what is wrong otherwise. */
export function resolveMemifOptions(options: MemifOptions = {}): MemifConfig {
  if (typeof options !== 'object' || options === null) {
    throw new MemifError('ERR_MEMIF_INVALID_OPTION', 'options must be an object');
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) {
      throw invalid(key, `is not an option; the options are ${[...KNOWN_OPTIONS].join(', ')}`);
    }
  }
  const role = oneOf(options, 'role', ['master', 'slave', 'server', 'client'] as const, 'slave');
  const normalizedRole: MemifRole = role === 'server' || role === 'master' ? 'master' : 'slave';
  const id = integerIn(options, 'id', 0, 0xffff_ffff, 0);
  const socketAbstract = booleanOption(options, 'socketAbstract', true);
  const socket = options.socket ?? DEFAULT_SOCKET;
  if (typeof socket !== 'string' || socket.length === 0 || socket.includes('\0')) {
    throw invalid('socket', 'must be a non-empty path or name without NUL characters');
  }
  const socketLimit = socketAbstract ? MAX_ABSTRACT_NAME : MAX_SOCKET_PATH;
  if (utf8Length(socket) > socketLimit) {
    throw invalid(
      'socket',
      `is ${utf8Length(socket)} bytes; a ${socketAbstract ? 'abstract name' : 'socket path'} may have at most ${socketLimit}`,
    );
  }
  const secret = options.secret ?? '';
  if (typeof secret !== 'string' || secret.includes('\0') || utf8Length(secret) > MAX_SECRET_LENGTH) {
    throw invalid('secret', `must be a string of at most ${MAX_SECRET_LENGTH} bytes without NUL (peers compare 24-byte fields)`);
  }
  const zeroCopy = booleanOption(options, 'zeroCopy', false);
  if (zeroCopy && normalizedRole === 'master') {
    throw invalid('zeroCopy', 'is for slaves only: a master maps the memory its slave provides');
  }
  const fillWholeBuffers = booleanOption(options, 'fillWholeBuffers', false);
  if (fillWholeBuffers && normalizedRole === 'master') {
    throw invalid('fillWholeBuffers', 'is for slaves only: a master fills the buffers its slave posted, up to the size the slave gave');
  }
  const ownerUid = integerIn(options, 'ownerUid', 0, 0xffff_fffe);
  const ownerGid = integerIn(options, 'ownerGid', 0, 0xffff_fffe);
  const socketMode = integerIn(options, 'socketMode', 0, 0o777);
  if ((ownerUid !== undefined || ownerGid !== undefined || socketMode !== undefined) && (socketAbstract || normalizedRole !== 'master')) {
    throw invalid(
      ownerUid !== undefined ? 'ownerUid' : ownerGid !== undefined ? 'ownerGid' : 'socketMode',
      'applies only to a master with a filesystem socket (socketAbstract: false)',
    );
  }
  const replaceStaleSocket = booleanOption(options, 'replaceStaleSocket', false);
  const requireSealedRegions = booleanOption(options, 'requireSealedRegions', false);
  for (const [key, value] of [
    ['replaceStaleSocket', replaceStaleSocket],
    ['requireSealedRegions', requireSealedRegions],
    ['unsealedRegions', options.unsealedRegions !== undefined],
  ] as const) {
    if (value && normalizedRole !== 'master') throw invalid(key, 'applies only to a master');
  }
  const unsealedRegions = oneOf(options, 'unsealedRegions', UNSEALED_REGION_POLICIES, requireSealedRegions ? 'refuse' : 'same-uid');
  if (requireSealedRegions && unsealedRegions !== 'refuse') {
    throw invalid(
      'unsealedRegions',
      `contradicts requireSealedRegions: true (which means 'refuse'), got ${JSON.stringify(unsealedRegions)}`,
    );
  }
  const rxMode = oneOf(options, 'rxMode', ['interrupt', 'polling', 'adaptive'] as const, 'interrupt');
  const adaptiveIdleMicroseconds = integerIn(options, 'adaptiveIdleMicroseconds', 1, 1_000_000, DEFAULT_ADAPTIVE_IDLE_MICROSECONDS);
  if (options.adaptiveIdleMicroseconds !== undefined && rxMode !== 'adaptive') {
    throw invalid('adaptiveIdleMicroseconds', `applies only with rxMode: 'adaptive', got rxMode ${JSON.stringify(rxMode)}`);
  }
  const mac = options.mac === undefined ? formatMacAddress(randomMacAddress()) : formatMacAddress(parseMacAddress(options.mac));
  const name = options.name ?? `memif${id}`;
  const appName = options.appName ?? DEFAULT_APP_NAME;
  for (const [key, value] of [
    ['name', name],
    ['appName', appName],
  ] as const) {
    if (typeof value !== 'string' || value.includes('\0') || utf8Length(value) > 31) {
      throw invalid(key, 'must be a string of at most 31 bytes without NUL');
    }
  }
  return {
    id,
    role: normalizedRole,
    bufferSize: integerIn(options, 'bufferSize', 64, 65535, 2048),
    log2RingSize: integerIn(options, 'log2RingSize', 1, 14, 10),
    socket,
    socketAbstract,
    ownerUid,
    ownerGid,
    socketMode,
    mac,
    secret,
    zeroCopy,
    fillWholeBuffers,
    rxQueues: integerIn(options, 'rxQueues', 1, 255, 1),
    txQueues: integerIn(options, 'txQueues', 1, 255, 1),
    mode: oneOf(options, 'mode', ['ethernet', 'ip', 'punt-inject'] as const, 'ethernet'),
    rxMode,
    adaptiveIdleMicroseconds,
    reconnectInterval: integerIn(options, 'reconnectInterval', 10, 3_600_000, 1000),
    handshakeTimeout: integerIn(options, 'handshakeTimeout', 10, 3_600_000, 5000),
    name,
    appName,
    replaceStaleSocket,
    requireSealedRegions: unsealedRegions === 'refuse',
    unsealedRegions,
    allowedUids: idList(options, 'allowedUids'),
    allowedGids: idList(options, 'allowedGids'),
  };
}

const wireModes: Record<MemifMode, InterfaceMode> = {
  ethernet: InterfaceMode.Ethernet,
  ip: InterfaceMode.Ip,
  'punt-inject': InterfaceMode.PuntInject,
};

/** The INIT `mode` value of a mode name. */
export function wireModeOf(mode: MemifMode): InterfaceMode {
  return wireModes[mode];
}
