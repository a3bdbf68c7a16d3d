import { MemifError, type MemifVdev, parseVdev } from '@memif/memif';
import { CommandLineError } from './command-line-error.ts';
import { FORWARD_MODES, type ForwardMode, isForwardMode, UNIMPLEMENTED_DPDK_MODES } from './forward-mode.ts';
import { parseMacAddress } from './parse-mac-address.ts';
import { type OptionSpec, type ParsedOption, parseOptions } from './parse-options.ts';
import { parseTxPacketSizes } from './parse-tx-packet-sizes.ts';

export const PROGRAM = 'testpmd-lite';
/** testpmd's MAX_PKT_BURST. */
export const MAX_BURST = 512;
/** testpmd's RTE_MAX_ETHPORTS in Debian's build. */
export const MAX_PORTS = 32;
/** memif's limit on queue pairs per interface. */
export const MAX_QUEUES = 255;

/** A `--vdev` device: what parseVdev made of it, and the text it came from. */
export interface PortDevice extends MemifVdev {
  readonly spec: string;
}

/** Everything the command line decides. */
export interface TestpmdConfig {
  readonly vdevs: readonly PortDevice[];
  /** EAL options accepted for compatibility but meaningless here, as typed (e.g. `-l 0-1`). */
  readonly ignoredEalOptions: readonly string[];
  /** Application options accepted for compatibility but meaningless here. */
  readonly ignoredAppOptions: readonly string[];
  readonly interactive: boolean;
  readonly autoStart: boolean;
  readonly txFirst: boolean;
  readonly forwardMode: ForwardMode;
  /** Seconds between statistics prints in non-interactive mode; 0 for none. */
  readonly statsPeriod: number;
  readonly txPacketSizes: readonly number[];
  readonly burst: number;
  readonly rxQueues: number;
  readonly txQueues: number;
  /** Peer MAC per port set with `--eth-peer`. */
  readonly ethPeers: ReadonlyMap<number, Uint8Array>;
  readonly help: boolean;
  /** What dpdk-testpmd warns about and goes on without (e.g. an unknown forwarding mode). */
  readonly warnings: readonly string[];
  /** `--disable-link-check`: no link check at start-up. */
  readonly linkCheck: boolean;
  /**
   * Whether the start-up link check waits (up to 9 s) for every link to come up: testpmd waits
   * only when link-state interrupts are off (`--no-lsc-interrupt`, or `--tx-first`, which turns
   * them off), and otherwise looks once.
   */
  readonly waitForLinks: boolean;
}

/** EAL options (before `--`). `meaningful` ones change what we do; the rest are listed as ignored. */
const EAL_OPTIONS: ReadonlyArray<OptionSpec & { meaningful?: boolean }> = [
  { long: 'vdev', hasArg: true, meaningful: true },
  { short: 'l', hasArg: true },
  { short: 'c', hasArg: true },
  { short: 'n', hasArg: true },
  { long: 'lcores', hasArg: true },
  { long: 'main-lcore', hasArg: true },
  { long: 'proc-type', hasArg: true },
  { long: 'file-prefix', hasArg: true },
  { long: 'no-huge', hasArg: false },
  { short: 'm', hasArg: true },
  { long: 'socket-mem', hasArg: true },
  { long: 'no-pci', hasArg: false },
  { long: 'single-file-segments', hasArg: false },
  { long: 'in-memory', hasArg: false },
  { long: 'no-shconf', hasArg: false },
  { long: 'no-telemetry', hasArg: false },
  { long: 'iova-mode', hasArg: true },
  { long: 'log-level', hasArg: true },
  { long: 'help', short: 'h', hasArg: false, meaningful: true },
];

/** testpmd options (after `--`) that we implement. */
const APP_OPTIONS: readonly OptionSpec[] = [
  { long: 'interactive', short: 'i', hasArg: false },
  { long: 'auto-start', short: 'a', hasArg: false },
  { long: 'tx-first', hasArg: false },
  { long: 'forward-mode', hasArg: true },
  { long: 'stats-period', hasArg: true },
  { long: 'txpkts', hasArg: true },
  { long: 'burst', hasArg: true },
  { long: 'rxq', hasArg: true },
  { long: 'txq', hasArg: true },
  { long: 'eth-peer', hasArg: true },
  { long: 'disable-link-check', hasArg: false },
  { long: 'no-lsc-interrupt', hasArg: false },
  { long: 'help', short: 'h', hasArg: false },
];

/** testpmd options accepted so scripts run unchanged, with no effect on a memif set-up. */
const IGNORED_APP_OPTIONS: readonly OptionSpec[] = [
  { long: 'no-mlockall', hasArg: false },
  { long: 'mlockall', hasArg: false },
  { long: 'total-num-mbufs', hasArg: true },
  { long: 'nb-cores', hasArg: true },
  { long: 'nb-ports', hasArg: true },
  { long: 'rxd', hasArg: true },
  { long: 'txd', hasArg: true },
  { long: 'mbuf-size', hasArg: true },
  { long: 'no-numa', hasArg: false },
  { long: 'numa', hasArg: false },
  { long: 'no-flush-rx', hasArg: false },
];

/** The usage text of the EAL options we accept. */
export const EAL_USAGE = `
Usage: ${PROGRAM} [EAL options] -- [testpmd options]

EAL options (only --vdev=net_memif<N>[,key=value,...] matters; the rest are accepted and ignored):
  --vdev              Add a memif device: net_memif<N>[,role=server|client][,id=N][,socket=PATH]
                      [,socket-abstract=yes|no][,bsize=N][,rsize=N][,mac=XX:..][,secret=S][,zero-copy=yes|no]
                      ours: [,unsealed-regions=same-uid|refuse|accept] (server: who may give us regions
                      not sealed against shrinking; default same-uid), [,mode=][,socket-mode=]
                      [,rx-mode=interrupt|polling|adaptive][,adaptive-idle-us=N] (adaptive: polls after
                      traffic, interrupts after N µs without a frame; default 200)
  -l CORELIST, -c COREMASK, -n CHANNELS, -m MB, --lcores, --main-lcore, --proc-type,
  --file-prefix, --no-huge, --socket-mem, --no-pci, --single-file-segments, --in-memory,
  --no-shconf, --no-telemetry, --iova-mode, --log-level
  -h, --help          This help
`;

/** The usage text of the testpmd options we accept. */
export const APP_USAGE = `
Usage: ${PROGRAM} [EAL options] -- [testpmd options]

  -i, --interactive: run in interactive mode.
  -a, --auto-start: start forwarding on init [always when non-interactive].
  --tx-first: start forwarding sending a burst first (only if interactive is disabled).
  --stats-period=PERIOD: statistics will be shown every PERIOD seconds (only if interactive is disabled).
  --forward-mode=N: set forwarding mode (N: ${FORWARD_MODES.join('|')}).
  --txpkts=X[,Y]*: set TX segment sizes or total packet length.
  --burst=N: set the number of packets per burst to N (1 <= N <= ${MAX_BURST}).
  --rxq=N: set the number of RX queues per port to N.
  --txq=N: set the number of TX queues per port to N.
  --eth-peer=X,M:M:M:M:M:M: set the MAC address of the X peer port (0 <= X < ${MAX_PORTS}).
  --disable-link-check: disable check on link status when starting/stopping ports.
  --no-lsc-interrupt: wait for the links at start-up (up to 9 s) instead of looking once.
  -h, --help: display this message and quit.
  Accepted and ignored: ${IGNORED_APP_OPTIONS.map((o) => `--${o.long}`).join(', ')}.
`;

function integer(option: ParsedOption, min: number, max: number, message: string): number {
  const value = option.value ?? '';
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new CommandLineError('app', option.spelling, `${message} (${option.spelling}=${value})`);
  }
  return Number(value);
}

function spell(option: ParsedOption): string {
  if (option.value === undefined) return option.spelling;
  return option.spelling.startsWith('--') ? `${option.spelling}=${option.value}` : `${option.spelling} ${option.value}`;
}

/**
 * Parses a dpdk-testpmd command line (without the program name): EAL options, `--`, testpmd
 * options. Throws a {@link CommandLineError} in testpmd's wording for anything it cannot run.
 */
export function parseCommandLine(argv: readonly string[]): TestpmdConfig {
  const eal = parseOptions(argv, EAL_OPTIONS, PROGRAM, 'eal');
  const afterEal = argv.slice(eal.next);
  if (eal.next < argv.length && argv[eal.next - 1] !== '--') {
    throw new CommandLineError(
      'eal',
      String(argv[eal.next]),
      `${PROGRAM}: unexpected argument '${argv[eal.next]}' (testpmd options go after --)`,
      true,
    );
  }
  const app = parseOptions(afterEal, [...APP_OPTIONS, ...IGNORED_APP_OPTIONS], PROGRAM, 'app');
  if (app.next < afterEal.length) {
    const extra = String(afterEal[app.next]);
    throw new CommandLineError('app', extra, `${PROGRAM}: unexpected argument '${extra}'`, true);
  }

  const vdevs: PortDevice[] = [];
  const ignoredEalOptions: string[] = [];
  let help = false;
  for (const option of eal.options) {
    if (option.name === 'help') help = true;
    else if (option.name === 'vdev') vdevs.push(parseVdevOption(option.value ?? ''));
    else ignoredEalOptions.push(spell(option));
  }

  let interactive = false;
  let autoStart = false;
  let txFirst = false;
  let linkCheck = true;
  let lscInterrupt = true;
  let forwardMode: ForwardMode = 'io';
  let statsPeriod = 0;
  let txPacketSizes: readonly number[] = [64];
  let burst = 32;
  let rxQueues = 1;
  let txQueues = 1;
  const ethPeers = new Map<number, Uint8Array>();
  const ignoredAppOptions: string[] = [];
  const warnings: string[] = [];
  for (const option of app.options) {
    const value = option.value ?? '';
    switch (option.name) {
      case 'interactive':
        interactive = true;
        break;
      case 'auto-start':
        autoStart = true;
        break;
      case 'tx-first':
        txFirst = true;
        break;
      case 'disable-link-check':
        linkCheck = false;
        break;
      case 'no-lsc-interrupt':
        lscInterrupt = false;
        break;
      case 'help':
        help = true;
        break;
      case 'forward-mode':
        if (isForwardMode(value)) {
          forwardMode = value;
        } else if (UNIMPLEMENTED_DPDK_MODES.includes(value)) {
          throw new CommandLineError(
            'app',
            option.spelling,
            `Invalid ${value} packet forwarding mode (testpmd-lite implements ${FORWARD_MODES.join(', ')})`,
          );
        } else {
          // dpdk-testpmd says so and keeps its current engine.
          warnings.push(`Invalid ${value} packet forwarding mode (the modes are ${FORWARD_MODES.join(', ')}); keeping ${forwardMode}`);
        }
        break;
      case 'stats-period':
        statsPeriod = integer(option, 0, 0xffff_ffff, 'Invalid stats-period value: a whole number of seconds');
        break;
      case 'burst':
        burst = integer(option, 1, MAX_BURST, `burst must be >= 1 and <= ${MAX_BURST}`);
        break;
      case 'rxq':
        rxQueues = integer(option, 1, MAX_QUEUES, `rxq ${value} invalid - must be >= 1 && <= ${MAX_QUEUES}`);
        break;
      case 'txq':
        txQueues = integer(option, 1, MAX_QUEUES, `txq ${value} invalid - must be >= 1 && <= ${MAX_QUEUES}`);
        break;
      case 'txpkts': {
        const sizes = parseTxPacketSizes(value);
        if (typeof sizes === 'string') throw new CommandLineError('app', option.spelling, `Invalid --txpkts=${value}: ${sizes}`);
        txPacketSizes = sizes;
        break;
      }
      case 'eth-peer': {
        const [port, mac] = parseEthPeer(option);
        ethPeers.set(port, mac);
        break;
      }
      default:
        ignoredAppOptions.push(spell(option));
    }
  }
  return {
    vdevs,
    ignoredEalOptions,
    ignoredAppOptions,
    interactive,
    autoStart,
    txFirst,
    forwardMode,
    statsPeriod,
    txPacketSizes,
    burst,
    rxQueues,
    txQueues,
    ethPeers,
    help,
    warnings,
    linkCheck,
    waitForLinks: txFirst || !lscInterrupt,
  };
}

function parseVdevOption(value: string): PortDevice {
  try {
    return { ...parseVdev(value), spec: value };
  } catch (error) {
    if (!MemifError.isInstance(error)) throw error;
    throw new CommandLineError('eal', '--vdev', `--vdev=${value}: ${error.message}\nEAL: failed to parse device "${value.split(',')[0]}"`);
  }
}

function parseEthPeer(option: ParsedOption): [number, Uint8Array] {
  const value = option.value ?? '';
  const comma = value.indexOf(',');
  const portText = comma < 0 ? value : value.slice(0, comma);
  const mac = comma < 0 ? undefined : parseMacAddress(value.slice(comma + 1));
  if (!/^\d+$/.test(portText) || mac === undefined) {
    throw new CommandLineError(
      'app',
      option.spelling,
      `Invalid eth-peer: ${value} (expected X,M:M:M:M:M:M with port X from 0 to ${MAX_PORTS - 1})`,
    );
  }
  const port = Number(portText);
  if (port >= MAX_PORTS) {
    throw new CommandLineError('app', option.spelling, `eth-peer: port ${port} >= RTE_MAX_ETHPORTS(${MAX_PORTS})`);
  }
  return [port, mac];
}
