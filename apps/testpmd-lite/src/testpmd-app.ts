import {
  type ForwardStats,
  formatAccumulatedForwardStats,
  formatForwardStats,
  formatNicStats,
  type NicStats,
} from './format-statistics.ts';
import type { ForwardMode } from './forward-mode.ts';
import { ForwardingStream } from './forwarding-stream.ts';
import type { TestpmdConfig } from './parse-command-line.ts';
import { formatMacAddress } from './parse-mac-address.ts';
import { TestpmdPort } from './testpmd-port.ts';

/** Where the app prints; the CLI passes stdout, tests collect the text. */
export type Print = (text: string) => void;

/** testpmd's link check: up to 90 looks 100 ms apart (MAX_CHECK_TIME, CHECK_INTERVAL). */
const LINK_CHECK_MS = 9000;
const LINK_LOOK_MS = 100;

/**
 * The testpmd application state and its operations, each printing what dpdk-testpmd prints: the
 * ports, the forwarding configuration (`set fwd`, `set txpkts`, `set eth-peer`), start and stop
 * with their statistics, and the `show` commands. The prompt and the process life live elsewhere.
 */
export class TestpmdApp {
  readonly ports: TestpmdPort[] = [];
  forwardMode: ForwardMode;
  txPacketSizes: readonly number[];
  readonly burst: number;
  readonly #config: TestpmdConfig;
  readonly #print: Print;
  readonly #printError: Print;
  #streams: ForwardingStream[] = [];
  /** Per port, the device statistics when forwarding started (testpmd's port->stats). */
  #startStats: NicStats[] = [];

  constructor(config: TestpmdConfig, print: Print, printError: Print = print) {
    this.#config = config;
    this.#print = print;
    this.#printError = printError;
    this.forwardMode = config.forwardMode;
    this.txPacketSizes = config.txPacketSizes;
    this.burst = config.burst;
  }

  get forwarding(): boolean {
    return this.#streams.length > 0;
  }

  /** Creates one memif interface per `--vdev` and prints testpmd's port start-up lines. */
  openPorts(): void {
    const config = this.#config;
    if (config.vdevs.length % 2 === 1) {
      this.#print('\nWarning! port-topology=paired and odd forward ports number, the last port will pair with itself.\n\n');
    }
    config.vdevs.forEach((device, id) => {
      this.#print(`Configuring Port ${id} (socket 0)\n`);
      const port = new TestpmdPort(id, device, { rxQueues: config.rxQueues, txQueues: config.txQueues }, config.ethPeers.get(id));
      // A failed connect goes to stderr, as dpdk-testpmd logs its own: stdout stays what scripts
      // parse (the link check's lines come in testpmd's order).
      port.iface.on('error', (error) => {
        const line = `Port ${id}: ${error.message}\n`;
        if ((error as { syscall?: unknown }).syscall === 'connect') this.#printError(line);
        else this.#print(line);
      });
      this.ports.push(port);
      this.#print(`Port ${id}: ${formatMacAddress(port.mac)}\n`);
    });
  }

  /**
   * testpmd's start-up link check: with `wait`, until every link is up or 9 s have passed (or
   * `signal` aborts), then each port's link; otherwise one look. A client port that found no
   * server is said so on stderr: dpdk-testpmd fails to start such a port, we keep retrying.
   */
  async checkLinkStatuses(wait: boolean, signal: AbortSignal): Promise<void> {
    this.#print('Checking link statuses...\n');
    await allLinksUp(this.ports, wait ? LINK_CHECK_MS : LINK_LOOK_MS, signal);
    if (wait) {
      for (const port of this.ports) {
        this.#print(`Port ${port.id} ${port.iface.connected ? 'Link up at 100 Gbps FDX Autoneg' : 'Link down'}\n`);
      }
    }
    this.#print('Done\n');
    for (const port of this.ports) {
      const { role, reconnectInterval } = port.iface.config;
      const { remoteDisconnectReason, localDisconnectReason } = port.iface.details();
      // A refusal was printed as it happened; this is for a server that is not there at all.
      const refused = remoteDisconnectReason !== undefined || localDisconnectReason !== undefined;
      if (role === 'slave' && port.iface.state === 'connecting' && !refused) {
        this.#printError(
          `Port ${port.id}: no memif server accepts connections on ${port.socketName}; testpmd-lite retries every ${reconnectInterval} ms (dpdk-testpmd would fail to start the port)\n`,
        );
      }
    }
  }

  /** testpmd's paired topology: 0<->1, 2<->3, …; an odd last port pairs with itself. */
  peerPortOf(id: number): number {
    const peer = id % 2 === 0 ? id + 1 : id - 1;
    return peer < this.ports.length ? peer : id;
  }

  get txPacketLength(): number {
    return this.txPacketSizes.reduce((sum, size) => sum + size, 0);
  }

  /** `start` / `start tx_first [n]`: prints the forwarding configuration and starts the streams. */
  start(txFirstBursts = 0): void {
    if (this.forwarding) {
      this.#printError('Packet forwarding already started\n');
      return;
    }
    this.#print(this.describeForwarding(true));
    const settings = { mode: this.forwardMode, burst: this.burst, txPacketLength: this.txPacketLength };
    this.#startStats = this.ports.map((port) => port.deviceStats());
    for (const port of this.ports) port.forwardDropped = 0;
    this.#streams = this.ports.map((port) => new ForwardingStream(port, this.ports[this.peerPortOf(port.id)] as TestpmdPort, settings));
    if (txFirstBursts > 0) {
      // tx_first sends txonly bursts whatever the engine, so that io/mac on both sides has something to bounce.
      const txonly = this.ports.map(
        (port) => new ForwardingStream(port, this.ports[this.peerPortOf(port.id)] as TestpmdPort, { ...settings, mode: 'txonly' }),
      );
      for (const stream of txonly) stream.sendTxonlyBursts(txFirstBursts);
    }
    for (const stream of this.#streams) stream.start();
  }

  /** `stop`: stops the streams and prints the forward statistics of each port and of all. */
  stop(): void {
    if (!this.forwarding) {
      this.#printError('Packet forwarding not started\n');
      return;
    }
    this.#print('Telling cores to stop...\nWaiting for lcores to finish...\n');
    for (const stream of this.#streams) stream.stop();
    this.#streams = [];
    const total: ForwardStats = { rxPackets: 0, rxDropped: 0, txPackets: 0, txDropped: 0 };
    for (const port of this.ports) {
      const now = port.deviceStats();
      const then = this.#startStats[port.id] as NicStats;
      const stats: ForwardStats = {
        rxPackets: now.rxPackets - then.rxPackets,
        rxDropped: now.rxMissed - then.rxMissed + (now.rxErrors - then.rxErrors),
        txPackets: now.txPackets - then.txPackets,
        txDropped: port.forwardDropped,
      };
      total.rxPackets += stats.rxPackets;
      total.rxDropped += stats.rxDropped;
      total.txPackets += stats.txPackets;
      total.txDropped += stats.txDropped;
      this.#print(formatForwardStats(port.id, stats));
      this.#reportNeverConnected(port);
    }
    this.#print(formatAccumulatedForwardStats(total));
    this.#print('\nDone.\n');
  }

  #reportNeverConnected(port: TestpmdPort): void {
    if (port.iface.details().connections > 0) return;
    const peer = port.iface.config.role === 'slave' ? 'no memif server accepted it' : 'no memif client connected';
    this.#printError(`Port ${port.id} never connected: ${peer} on ${port.socketName}\n`);
  }

  /** The `show config fwd` text; with `detailed`, the extra lines `start` prints. */
  describeForwarding(detailed = false): string {
    const mode = this.forwardMode;
    const count = this.ports.length;
    const lines = [
      `${mode} packet forwarding - ports=${count} - cores=1 - streams=${count} - NUMA support enabled, MP allocation mode: native`,
      `Logical Core 1 (socket 0) forwards packets on ${count} streams:`,
    ];
    for (const port of this.ports) {
      const peer = this.ports[this.peerPortOf(port.id)] as TestpmdPort;
      lines.push(`  RX P=${port.id}/Q=0 (socket 0) -> TX P=${peer.id}/Q=0 (socket 0) peer=${formatMacAddress(peer.peerMac)}`);
    }
    lines.push('');
    if (detailed) {
      lines.push(`  ${mode} packet forwarding packets/burst=${this.burst}`);
      if (mode === 'txonly') lines.push(`  packet len=${this.txPacketLength} - nb packet segments=${this.txPacketSizes.length}`);
      lines.push(`  nb forwarding cores=1 - nb forwarding ports=${count}`);
      for (const port of this.ports) {
        lines.push(`  port ${port.id}: RX queue number: ${this.#config.rxQueues} Tx queue number: ${this.#config.txQueues}`);
        lines.push('    Rx offloads=0x0 Tx offloads=0x0');
      }
    }
    return `${lines.join('\n')}\n`;
  }

  showPortStats(ids: readonly number[]): void {
    for (const id of ids) {
      const port = this.ports[id] as TestpmdPort;
      const stats = port.stats();
      this.#print(formatNicStats(id, stats, port.throughput(stats)));
    }
  }

  clearPortStats(ids: readonly number[]): void {
    for (const id of ids) {
      (this.ports[id] as TestpmdPort).clearStats();
      this.#print(`\n  NIC statistics for port ${id} cleared\n`);
    }
  }

  showPortInfo(id: number): void {
    const port = this.ports[id] as TestpmdPort;
    const { config } = port.iface;
    this.#print(
      [
        '',
        `********************* Infos for port ${String(id).padEnd(2)} *********************`,
        `MAC address: ${formatMacAddress(port.mac)}`,
        `Device name: ${port.device.name}`,
        'Driver name: net_memif',
        'Firmware-version: not available',
        `Devargs: ${port.devargs}`,
        'Connect to socket: 0',
        'memory allocation on the socket: 0',
        `Link status: ${port.iface.connected ? 'up' : 'down'}`,
        'Link speed: 100 Gbps',
        'Link duplex: full-duplex',
        'Autoneg status: On',
        'MTU: 1500',
        'Promiscuous mode: enabled',
        'Allmulticast mode: disabled',
        `Memif role: ${config.role === 'master' ? 'server' : 'client'} - id: ${config.id} - socket: ${config.socket}${config.socketAbstract ? ' (abstract)' : ''}`,
        `Memif state: ${port.iface.state}`,
        `Current number of RX queues: ${config.rxQueues}`,
        'Max possible RX queues: 255',
        `Current number of TX queues: ${config.txQueues}`,
        'Max possible TX queues: 255',
        '',
      ].join('\n'),
    );
  }

  /** Ends forwarding (printing its statistics) and closes every port, as testpmd's exit path does. */
  async close(): Promise<void> {
    if (this.forwarding) this.stop();
    else for (const port of this.ports) this.#reportNeverConnected(port);
    for (const port of this.ports) this.#print(`\nStopping port ${port.id}...\n`);
    this.#print('Stopping ports...\nDone\n');
    for (const port of this.ports) this.#print(`\nShutting down port ${port.id}...\n`);
    this.#print('Closing ports...\n');
    for (const port of this.ports) {
      await port.close();
      this.#print(`Port ${port.id} is closed\n`);
    }
    this.#print('Done\n\nBye...\n');
  }
}

/** Resolves when every port's link is up, after `timeoutMs`, or when `signal` aborts. */
function allLinksUp(ports: readonly TestpmdPort[], timeoutMs: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (ports.every((port) => port.iface.connected)) done();
    };
    const done = (): void => {
      clearTimeout(timer);
      for (const port of ports) port.iface.off('connected', check);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    for (const port of ports) port.iface.on('connected', check);
    signal.addEventListener('abort', done);
    if (signal.aborted) done();
  });
}
