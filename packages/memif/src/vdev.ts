import { MemifError } from './memif-error.ts';
import type { MemifMode, MemifOptions, MemifRole, MemifRxMode } from './memif-options.ts';
import { UNSEALED_REGION_POLICIES, type UnsealedRegionPolicy } from './unsealed-region-policy.ts';

/** A `--vdev=net_memif...` device: its name (the ethdev name DPDK sends in CONNECT) and options. */
export interface MemifVdev {
  readonly name: string;
  readonly options: MemifOptions;
}

const DEVICE_PREFIX = 'net_memif';

type KeyParser = (value: string, options: MemifOptions, fail: (message: string) => never) => void;

function decimal(value: string, max: number, what: string, fail: (message: string) => never): number {
  if (!/^\d+$/.test(value) || Number(value) > max) fail(`Invalid ${what}: ${value} (a decimal integer up to ${max}).`);
  return Number(value);
}

function yesNo(value: string, key: string, fail: (message: string) => never): boolean {
  if (value === 'yes') return true;
  if (value === 'no') return false;
  return fail(`Invalid ${key}: ${value} (yes or no).`);
}

const roles: Record<string, MemifRole | undefined> = {
  server: 'master',
  master: 'master',
  client: 'slave',
  slave: 'slave',
};

/** DPDK 22.11's keys, plus four of ours marked as extensions. */
const keys: Record<string, KeyParser> = {
  id(value, o, fail) {
    o.id = decimal(value, 0xffff_ffff, 'id', fail);
  },
  role(value, o, fail) {
    const role = roles[value];
    if (role === undefined) return fail(`Unknown role: ${value} (server, client, or the older master, slave).`);
    o.role = role;
  },
  bsize(value, o, fail) {
    const size = decimal(value, 65535, 'buffer size', fail);
    if (size < 64) fail(`Invalid buffer size: ${value} (64 to 65535).`);
    o.bufferSize = size;
  },
  rsize(value, o, fail) {
    const log2 = decimal(value, 99, 'ring size', fail);
    if (log2 < 1 || log2 > 14) fail(`Invalid ring size: ${value} (log2, 1 to 14; max 14).`);
    o.log2RingSize = log2;
  },
  socket(value, o, fail) {
    if (value === '') fail('Invalid socket: empty.');
    o.socket = value;
  },
  'socket-abstract'(value, o, fail) {
    o.socketAbstract = yesNo(value, 'socket-abstract', fail);
  },
  'owner-uid'(value, o, fail) {
    o.ownerUid = decimal(value, 0xffff_fffe, 'owner-uid', fail);
  },
  'owner-gid'(value, o, fail) {
    o.ownerGid = decimal(value, 0xffff_fffe, 'owner-gid', fail);
  },
  mac(value, o, fail) {
    if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(value)) fail(`Failed to parse mac '${value}' (xx:xx:xx:xx:xx:xx).`);
    o.mac = value;
  },
  secret(value, o) {
    o.secret = value;
  },
  'zero-copy'(value, o, fail) {
    o.zeroCopy = yesNo(value, 'zero-copy', fail);
  },
  // Extensions: DPDK 22.11 has no such keys; our interfaces honour them.
  mode(value, o, fail) {
    if (value !== 'ethernet' && value !== 'ip' && value !== 'punt-inject') fail(`Invalid mode: ${value} (ethernet, ip or punt-inject).`);
    o.mode = value as MemifMode;
  },
  'rx-mode'(value, o, fail) {
    if (value !== 'interrupt' && value !== 'polling' && value !== 'adaptive')
      fail(`Invalid rx-mode: ${value} (interrupt, polling or adaptive).`);
    o.rxMode = value as MemifRxMode;
  },
  'adaptive-idle-us'(value, o, fail) {
    o.adaptiveIdleMicroseconds = decimal(value, 1_000_000, 'adaptive-idle-us', fail);
  },
  'unsealed-regions'(value, o, fail) {
    const policy = UNSEALED_REGION_POLICIES.find((p) => p === value);
    if (policy === undefined) fail(`Invalid unsealed-regions: ${value} (${UNSEALED_REGION_POLICIES.join(', ')}).`);
    o.unsealedRegions = policy as UnsealedRegionPolicy;
  },
  'replace-stale-socket'(value, o, fail) {
    o.replaceStaleSocket = yesNo(value, 'replace-stale-socket', fail);
  },
  'socket-mode'(value, o, fail) {
    if (!/^0?[0-7]{1,3}$/.test(value)) fail(`Invalid socket-mode: ${value} (octal, e.g. 0660).`);
    o.socketMode = Number.parseInt(value, 8);
  },
};

/** The devargs keys `parseVdev` accepts. */
export const VDEV_KEYS: readonly string[] = Object.keys(keys);

/**
 * Parses a DPDK `--vdev` value such as `net_memif0,role=server,id=1,socket=/x.sock`, with DPDK's
 * defaults for what it leaves out. Unknown keys and bad values throw a {@link MemifError} in
 * DPDK's wording, naming the device, the key and what is allowed.
 */
export function parseVdev(spec: string): MemifVdev {
  if (typeof spec !== 'string') {
    throw new MemifError('ERR_MEMIF_INVALID_DEVARGS', 'a vdev must be a string such as net_memif0,role=server');
  }
  const [name = '', ...pairs] = spec.split(',');
  if (!name.startsWith(DEVICE_PREFIX) || !/^[\w.:-]*$/.test(name.slice(DEVICE_PREFIX.length))) {
    throw new MemifError(
      'ERR_MEMIF_INVALID_DEVARGS',
      `'${name}' is not a memif device: the vdev name must start with ${DEVICE_PREFIX} (e.g. ${DEVICE_PREFIX}0)`,
    );
  }
  if (name.length > 31) {
    throw new MemifError('ERR_MEMIF_INVALID_DEVARGS', `${name}: device name longer than 31 bytes`);
  }
  const options: MemifOptions = { name };
  const seen = new Set<string>();
  for (const pair of pairs) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const fail = (message: string): never => {
      throw new MemifError('ERR_MEMIF_INVALID_DEVARGS', `${name}: ${message}`, { option: key });
    };
    const parse = Object.hasOwn(keys, key) ? keys[key] : undefined;
    if (parse === undefined) fail(`Unknown argument '${key}' (valid: ${VDEV_KEYS.join(', ')}).`);
    if (eq < 0) fail(`Argument '${key}' needs a value (${key}=...).`);
    if (seen.has(key)) fail(`Argument '${key}' is given twice.`);
    seen.add(key);
    (parse as KeyParser)(pair.slice(eq + 1), options, fail);
  }
  return { name, options };
}
