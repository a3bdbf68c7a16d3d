import { FORWARD_MODES, isForwardMode } from './forward-mode.ts';
import { parseMacAddress } from './parse-mac-address.ts';
import { parseTxPacketSizes } from './parse-tx-packet-sizes.ts';
import type { Print, TestpmdApp } from './testpmd-app.ts';

/** The command lines the prompt knows, word by word; `<…>` stands for a value. Completion uses them. */
export const COMMAND_SYNTAX: readonly string[] = [
  'start',
  'start tx_first <bursts>',
  'stop',
  'show port stats all',
  'show port stats <port>',
  'show port info all',
  'show port info <port>',
  'show config fwd',
  'clear port stats all',
  'clear port stats <port>',
  ...FORWARD_MODES.map((mode) => `set fwd ${mode}`),
  'set txpkts <sizes>',
  'set eth-peer <port> <mac>',
  'help',
  'quit',
];

const HELP = `Commands:
  start                           start packet forwarding
  start tx_first [N]              send N (default 1) txonly bursts on each port first, then start
  stop                            stop forwarding and show the forward statistics
  show port stats (port|all)      NIC statistics of a port
  clear port stats (port|all)     reset them
  show port info (port|all)       what the port is and whether its link is up
  show config fwd                 the forwarding configuration
  set fwd (${FORWARD_MODES.join('|')})
  set txpkts X[,Y]*               txonly frame length as segment sizes (their sum)
  set eth-peer (port) (mac)       the destination MAC of mac and txonly on that port
  quit                            stop, close the ports and exit
`;

/** Words typed so far that fit the syntax, offered as completions of the last word. */
export function completeCommand(line: string): string[] {
  const words = line.trimStart().split(/\s+/);
  const partial = words.pop() ?? '';
  const candidates = new Set<string>();
  for (const syntax of COMMAND_SYNTAX) {
    const parts = syntax.split(' ');
    if (parts.length <= words.length) continue;
    if (!words.every((word, i) => parts[i] === word || parts[i]?.startsWith('<') === true)) continue;
    const next = parts[words.length] as string;
    if (!next.startsWith('<') && next.startsWith(partial)) candidates.add(next);
  }
  return [...candidates];
}

/**
 * Runs one line typed at the `testpmd> ` prompt against `app`, printing what dpdk-testpmd prints
 * (`Command not found`, `Bad arguments` for a known command with wrong arguments). Returns 'quit'
 * when the line asks to leave.
 */
export function executeCommand(app: TestpmdApp, line: string, print: Print): 'quit' | undefined {
  const words = line
    .trim()
    .split(/\s+/)
    .filter((word) => word !== '');
  if (words.length === 0) return undefined;
  const [verb, ...args] = words;
  const badArguments = (): undefined => {
    print('Bad arguments\n');
    return undefined;
  };
  const portIds = (text: string | undefined): number[] | undefined => {
    if (text === 'all') return app.ports.map((port) => port.id);
    if (text === undefined || !/^\d+$/.test(text)) return undefined;
    const id = Number(text);
    if (id >= app.ports.length) {
      print(`Invalid port ${id}\nValid port range is [0${app.ports.length > 1 ? `, ${app.ports.length - 1}` : ''}]\n`);
      return [];
    }
    return [id];
  };

  switch (verb) {
    case 'quit':
    case 'exit':
      return 'quit';
    case 'help':
      print(HELP);
      return undefined;
    case 'start': {
      if (args.length === 0) app.start();
      else if (args[0] === 'tx_first' && args.length <= 2 && (args[1] === undefined || /^[1-9]\d*$/.test(args[1]))) {
        app.start(args[1] === undefined ? 1 : Number(args[1]));
      } else return badArguments();
      return undefined;
    }
    case 'stop':
      if (args.length > 0) return badArguments();
      app.stop();
      return undefined;
    case 'show':
    case 'clear': {
      if (verb === 'show' && args[0] === 'config' && args[1] === 'fwd' && args.length === 2) {
        print(app.describeForwarding());
        return undefined;
      }
      const what = `${args[0] ?? ''} ${args[1] ?? ''}`;
      const ids = args.length === 3 ? portIds(args[2]) : undefined;
      if (ids === undefined) return badArguments();
      if (what === 'port stats') {
        if (verb === 'show') app.showPortStats(ids);
        else app.clearPortStats(ids);
      } else if (verb === 'show' && what === 'port info') {
        for (const id of ids) app.showPortInfo(id);
      } else return badArguments();
      return undefined;
    }
    case 'set':
      setCommand(app, args, print, portIds);
      return undefined;
    default:
      print('Command not found\n');
      return undefined;
  }
}

function setCommand(app: TestpmdApp, args: string[], print: Print, portIds: (text: string | undefined) => number[] | undefined): void {
  const [what, value, extra] = args;
  if (what === 'fwd' && value !== undefined && args.length === 2) {
    if (!isForwardMode(value)) {
      print(`Bad arguments\nUnknown forwarding mode '${value}' (${FORWARD_MODES.join(', ')})\n`);
      return;
    }
    app.forwardMode = value;
    print(`Set ${value} packet forwarding mode\n`);
    return;
  }
  if (what === 'txpkts' && value !== undefined && args.length === 2) {
    const sizes = parseTxPacketSizes(value);
    if (typeof sizes === 'string') print(`${sizes}\n`);
    else app.txPacketSizes = sizes;
    return;
  }
  if (what === 'eth-peer' && extra !== undefined && args.length === 3) {
    const ids = portIds(value);
    const mac = parseMacAddress(extra);
    if (ids === undefined || value === 'all' || mac === undefined) {
      print('Bad arguments\n');
      return;
    }
    for (const id of ids) {
      const port = app.ports[id];
      if (port !== undefined) port.peerMac = mac;
    }
    return;
  }
  print('Bad arguments\n');
}
