import { MemifError, type MemifOptions, parseVdev } from '@memif/memif';
import { numberFlag } from './parse-command-line.ts';
import { UsageError } from './usage-error.ts';

/** The parseArgs options every command that opens an interface accepts. */
export const interfaceFlagSpecs = {
  vdev: { type: 'string' },
  role: { type: 'string' },
  id: { type: 'string' },
  socket: { type: 'string' },
  'socket-abstract': { type: 'string' },
  secret: { type: 'string' },
  rsize: { type: 'string' },
  bsize: { type: 'string' },
  mac: { type: 'string' },
  mode: { type: 'string' },
  'rx-mode': { type: 'string' },
  'adaptive-idle-us': { type: 'string' },
  'unsealed-regions': { type: 'string' },
  'replace-stale-socket': { type: 'string' },
  rxq: { type: 'string' },
  txq: { type: 'string' },
  'connect-timeout': { type: 'string' },
} as const;

/** Flags that are DPDK devargs keys under the same name. */
const DEVARGS_FLAGS = [
  'role',
  'id',
  'socket',
  'socket-abstract',
  'secret',
  'rsize',
  'bsize',
  'mac',
  'mode',
  'rx-mode',
  'adaptive-idle-us',
  'unsealed-regions',
  'replace-stale-socket',
] as const;

/** memif's limit on queues per direction, as testpmd's --rxq/--txq. */
const MAX_QUEUES = 255;

export const interfaceFlagsHelp = `Interface (DPDK net_memif devargs, as a --vdev string or as flags; flags win):
  --vdev <spec>              e.g. net_memif0,role=client,id=0,socket=/tmp/m.sock,socket-abstract=no
  --role <r>                 server or client (also master, slave); default client
  --id <n>                   interface id on the socket; default 0
  --socket <name>            socket path or abstract name; default /run/memif.sock
  --socket-abstract <yes|no> abstract name or filesystem path; default yes, as DPDK
  --secret <s>               shared secret (at most 23 bytes)
  --rsize <log2>             ring size, log2 1..14; default 10
  --bsize <bytes>            buffer size 64..65535; default 2048
  --mac <xx:xx:xx:xx:xx:xx>  our MAC; default random
  --mode <m>                 ethernet or ip; default ethernet
  --rx-mode <m>              interrupt, polling or adaptive; default interrupt
  --adaptive-idle-us <n>     adaptive: µs of polling after the last frame before interrupts
                             take over again, 1..1000000; default 200
  --unsealed-regions <p>     server: regions a client may leave unsealed against shrinking (a
                             SIGBUS risk): same-uid (only a client of our uid; default),
                             refuse or accept
  --replace-stale-socket <yes|no>
                             server: remove a socket file nothing listens on (left by a
                             server killed with kill -9) instead of failing; default no
  --rxq <n>, --txq <n>       receive and transmit queues, 1..255 (testpmd's options); default 1.
                             A server announces them in HELLO: clients with more adapt down
  --connect-timeout <s>      seconds to wait for the peer; default 10`;

type InterfaceFlagValues = { [K in keyof typeof interfaceFlagSpecs]?: string | undefined };

function rethrowAsUsage(error: unknown, flagOf: (key: string) => string): never {
  if (MemifError.isInstance(error)) {
    const flag = error.option === undefined ? '--vdev' : flagOf(error.option);
    throw new UsageError(`${flag}: ${error.message}`);
  }
  throw error;
}

/**
 * The memif options a command line asks for: the `--vdev` string parsed as DPDK does, then each
 * flag applied over it through the same parser, so both spellings accept exactly DPDK's values and
 * fail with DPDK's wording, prefixed by the flag at fault.
 */
export function interfaceOptionsFromFlags(values: InterfaceFlagValues): MemifOptions {
  let options: MemifOptions = {};
  if (values.vdev !== undefined) {
    try {
      options = { ...parseVdev(values.vdev).options };
    } catch (error) {
      rethrowAsUsage(error, () => '--vdev');
    }
  }
  for (const flag of DEVARGS_FLAGS) {
    const value = values[flag];
    if (value === undefined) continue;
    // A devargs string cannot carry a comma inside a value.
    if (value.includes(',')) throw new UsageError(`--${flag}: '${value}' may not contain a comma`);
    try {
      const { name: _name, ...fromFlag } = parseVdev(`net_memif0,${flag}=${value}`).options;
      options = { ...options, ...fromFlag };
    } catch (error) {
      rethrowAsUsage(error, (key) => `--${key}`);
    }
  }
  const rxQueues = numberFlag(values.rxq, '--rxq', { min: 1, max: MAX_QUEUES, integer: true });
  const txQueues = numberFlag(values.txq, '--txq', { min: 1, max: MAX_QUEUES, integer: true });
  if (rxQueues !== undefined) options = { ...options, rxQueues };
  if (txQueues !== undefined) options = { ...options, txQueues };
  return options;
}

/** `--connect-timeout` in milliseconds (default 10 s). */
export function connectTimeoutMs(values: InterfaceFlagValues): number {
  return (numberFlag(values['connect-timeout'], '--connect-timeout', { min: 0.01, max: 86_400 }) ?? 10) * 1000;
}
