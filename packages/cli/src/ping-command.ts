import { setTimeout as delay } from 'node:timers/promises';
import {
  ArpOperation,
  decodeArp,
  decodeIcmp,
  ETHERNET_HEADER_SIZE,
  EtherType,
  formatIpv4,
  IcmpType,
  IpProtocol,
  readEthernetHeader,
  readIpv4Header,
} from '@memif/frame';
import { type MemifInterface, parseMacAddress } from '@memif/memif';
import type { CommandIo } from './command-io.ts';
import { ignoreAbort } from './ignore-abort.ts';
import { connectTimeoutMs, interfaceFlagSpecs, interfaceFlagsHelp, interfaceOptionsFromFlags } from './interface-flags.ts';
import { interruptSignal } from './interrupt-signal.ts';
import { closeInterface, openInterface } from './open-interface.ts';
import { numberFlag, parseCommandLine } from './parse-command-line.ts';
import { parseIpv4Argument, parseIpv4CidrArgument } from './parse-ipv4-argument.ts';
import { PingFrameBuilder } from './ping-frame-builder.ts';
import { formatRtt, PingStatistics } from './ping-statistics.ts';
import { receiveFrames } from './receive-frames.ts';
import { UsageError } from './usage-error.ts';

export const pingUsage = `Usage: memif ping [options] --ip <a.b.c.d/len> <target>

Creates a memif interface with address --ip, answers ARP and echo requests for it, resolves
<target> with ARP and sends ICMP echo requests, printing replies as ping does.
Exit status: 0 when a reply came, 1 when none did (or the interface never connected), 2 on a
usage error.

Ping:
  --ip <a.b.c.d/len>         our address (required), e.g. 192.168.1.1/24
  -c, --count <n>            stop after n requests; default: until Ctrl-C
  -i, --interval <s>         seconds between requests; default 1
  -s, --size <bytes>         ICMP data bytes; default 56
  -W, --timeout <s>          seconds to wait for ARP and for the last replies; default 10
  -t, --ttl <n>              IP time to live; default 64
  -q, --quiet                print only the summary
  -h, --help                 show this help

${interfaceFlagsHelp}

Example (DPDK testpmd in icmpecho mode as the server):
  memif ping --vdev net_memif0,role=client,socket=/tmp/m.sock,socket-abstract=no --ip 192.168.1.1/24 -c 3 192.168.1.2
`;

const pingFlagSpecs = {
  ...interfaceFlagSpecs,
  ip: { type: 'string' },
  count: { type: 'string', short: 'c' },
  interval: { type: 'string', short: 'i' },
  size: { type: 'string', short: 's' },
  timeout: { type: 'string', short: 'W' },
  ttl: { type: 'string', short: 't' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const;

const MAX_ICMP_DATA = 65_507 - 8;
const ARP_RETRY_MS = 1000;

/** `memif ping`: resolves to the exit code. */
export async function pingCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandLine(args, pingFlagSpecs);
  if (values.help === true) {
    io.stdout.write(pingUsage);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(`expected one target address, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
  if (values.ip === undefined)
    throw new UsageError('--ip <a.b.c.d/len> is required (the address of our interface, e.g. --ip 192.168.1.1/24)');
  const target = parseIpv4Argument(positionals[0] ?? '', 'target');
  const { address: ourIp } = parseIpv4CidrArgument(values.ip, '--ip');
  const count = numberFlag(values.count, '-c/--count', { min: 1, max: 2 ** 31, integer: true }) ?? Number.POSITIVE_INFINITY;
  const intervalMs = (numberFlag(values.interval, '-i/--interval', { min: 0.001, max: 3600 }) ?? 1) * 1000;
  const size = numberFlag(values.size, '-s/--size', { min: 0, max: MAX_ICMP_DATA, integer: true }) ?? 56;
  const timeoutMs = (numberFlag(values.timeout, '-W/--timeout', { min: 0.001, max: 3600 }) ?? 10) * 1000;
  const ttl = numberFlag(values.ttl, '-t/--ttl', { min: 1, max: 255, integer: true }) ?? 64;
  const options = interfaceOptionsFromFlags(values);
  const mode = options.mode ?? 'ethernet';
  if (mode === 'punt-inject') throw new UsageError('--mode must be ethernet or ip (punt-inject carries no IP)');

  const interrupt = interruptSignal();
  try {
    const iface = await openInterface(options, { timeoutMs: connectTimeoutMs(values), io, signal: interrupt.signal });
    try {
      return await new PingSession(iface, io, {
        mode,
        ourIp,
        target,
        count,
        intervalMs,
        size,
        timeoutMs,
        ttl,
        quiet: values.quiet === true,
      }).run(interrupt.signal);
    } finally {
      await closeInterface(iface);
    }
  } finally {
    interrupt.dispose();
  }
}

interface PingSettings {
  readonly mode: 'ethernet' | 'ip';
  readonly ourIp: number;
  readonly target: number;
  readonly count: number;
  readonly intervalMs: number;
  readonly size: number;
  readonly timeoutMs: number;
  readonly ttl: number;
  readonly quiet: boolean;
}

/** One run of ping over a connected interface: the ARP/ICMP state machine and its output. */
class PingSession {
  readonly #iface: MemifInterface;
  readonly #io: CommandIo;
  readonly #settings: PingSettings;
  readonly #frames: PingFrameBuilder;
  readonly #identifier = process.pid & 0xffff;
  readonly #sentAt = new Map<number, bigint>();
  readonly #answered = new Set<number>();
  readonly #statistics = new PingStatistics();
  #targetMac: Uint8Array | undefined;

  constructor(iface: MemifInterface, io: CommandIo, settings: PingSettings) {
    this.#iface = iface;
    this.#io = io;
    this.#settings = settings;
    this.#frames = new PingFrameBuilder(settings.mode, parseMacAddress(iface.config.mac), settings.ourIp);
  }

  async run(interrupted: AbortSignal): Promise<number> {
    const { target, size, count, intervalMs, timeoutMs, mode } = this.#settings;
    const targetText = formatIpv4(target);
    const stop = new AbortController();
    const onInterrupt = (): void => stop.abort();
    interrupted.addEventListener('abort', onInterrupt);
    const receiving = receiveFrames(this.#iface, (frame) => this.#onFrame(frame), stop.signal);
    const started = performance.now();
    let lastSent = started;
    try {
      this.#io.stdout.write(`PING ${targetText} (${targetText}) ${size}(${size + 28}) bytes of data.\n`);
      if (mode === 'ethernet' && !(await this.#resolveTarget(stop.signal))) {
        if (!stop.signal.aborted) this.#io.stderr.write(`memif ping: no ARP reply from ${targetText} within ${timeoutMs / 1000} s\n`);
      } else {
        for (let sequence = 1; sequence <= count && !stop.signal.aborted; sequence++) {
          if (sequence > 1) await delay(intervalMs, undefined, { signal: stop.signal }).catch(ignoreAbort);
          if (stop.signal.aborted) break;
          await this.#sendRequest(sequence);
          lastSent = performance.now();
        }
        const deadline = performance.now() + timeoutMs;
        while (!stop.signal.aborted && this.#sentAt.size > 0 && performance.now() < deadline)
          await delay(5, undefined, { signal: stop.signal }).catch(ignoreAbort);
      }
    } finally {
      stop.abort();
      interrupted.removeEventListener('abort', onInterrupt);
      await receiving;
    }
    // iputils reports the time from the first request to the last one.
    this.#io.stdout.write(`\n${this.#statistics.summary(targetText, this.#statistics.transmitted > 0 ? lastSent - started : 0)}`);
    return this.#statistics.received > 0 ? 0 : 1;
  }

  async #resolveTarget(signal: AbortSignal): Promise<boolean> {
    const deadline = performance.now() + this.#settings.timeoutMs;
    let nextRequest = 0;
    while (this.#targetMac === undefined && !signal.aborted && performance.now() < deadline) {
      if (performance.now() >= nextRequest) {
        this.#iface.trySend(this.#frames.arpRequest(this.#settings.target));
        nextRequest = performance.now() + ARP_RETRY_MS;
      }
      await delay(5, undefined, { signal }).catch(ignoreAbort);
    }
    return this.#targetMac !== undefined;
  }

  async #sendRequest(sequence: number): Promise<void> {
    const payload = new Uint8Array(this.#settings.size);
    for (let i = 0; i < payload.length; i++) payload[i] = (i + 8) & 0xff;
    const frame = this.#frames.echo(
      { type: IcmpType.EchoRequest, identifier: this.#identifier, sequence, payload },
      this.#targetMac ?? new Uint8Array(6),
      this.#settings.target,
      this.#settings.ttl,
    );
    this.#statistics.transmitted++;
    try {
      this.#sentAt.set(sequence & 0xffff, process.hrtime.bigint());
      await this.#iface.send(frame);
    } catch (error) {
      this.#sentAt.delete(sequence & 0xffff);
      this.#io.stderr.write(`memif ping: icmp_seq=${sequence} not sent: ${(error as Error).message}\n`);
    }
  }

  #onFrame(frame: Uint8Array): void {
    let ipOffset = 0;
    if (this.#settings.mode === 'ethernet') {
      const ethernet = readEthernetHeader(frame);
      if (ethernet === undefined) return;
      if (ethernet.etherType === EtherType.Arp) {
        this.#onArp(frame);
        return;
      }
      if (ethernet.etherType !== EtherType.Ipv4) return;
      ipOffset = ETHERNET_HEADER_SIZE;
    }
    const ip = readIpv4Header(frame, ipOffset);
    if (ip === undefined || !ip.checksumValid || ip.protocol !== IpProtocol.Icmp || ip.isLaterFragment) return;
    if (ip.destination !== this.#settings.ourIp) return;
    const icmpStart = ipOffset + ip.headerLength;
    const icmpEnd = Math.min(frame.length, ipOffset + ip.totalLength);
    const icmp = decodeIcmp(frame, icmpStart, icmpEnd);
    if (icmp === undefined) return;
    if (icmp.type === IcmpType.EchoRequest) {
      if (icmp.checksumValid) this.#answerEchoRequest(frame, icmpStart, icmpEnd, ip.source, icmp.identifier, icmp.sequence);
    } else if (icmp.type === IcmpType.EchoReply && icmp.identifier === this.#identifier && ip.source === this.#settings.target) {
      if (icmp.checksumValid) this.#onEchoReply(icmp.sequence, icmp.length, ip.ttl);
      else this.#onCorruptedReply(icmp.sequence, icmp.length, ip.ttl);
    }
  }

  /**
   * A reply to one of our requests whose ICMP checksum is wrong (libmemif's icmp_responder sends
   * such). As iputils does: shown with its time and marked, counted as corrupted, not as received
   * (no rtt), and the request stays open for a good reply.
   */
  #onCorruptedReply(sequence: number, icmpLength: number, ttl: number): void {
    const sentAt = this.#sentAt.get(sequence);
    if (sentAt === undefined && !this.#answered.has(sequence)) return;
    this.#statistics.corrupted++;
    if (this.#settings.quiet) return;
    const time = sentAt === undefined ? '' : ` time=${formatRtt(Number(process.hrtime.bigint() - sentAt) / 1e6)} ms`;
    this.#io.stdout.write(
      `${icmpLength} bytes from ${formatIpv4(this.#settings.target)}: icmp_seq=${sequence} ttl=${ttl}${time} (BAD CHECKSUM!)\n`,
    );
  }

  #onArp(frame: Uint8Array): void {
    const arp = decodeArp(frame, ETHERNET_HEADER_SIZE);
    if (arp === undefined) return;
    if (arp.senderIp === this.#settings.target) this.#targetMac = arp.senderMac;
    if (arp.operation === ArpOperation.Request && arp.targetIp === this.#settings.ourIp) {
      this.#iface.trySend(this.#frames.arpReply(arp.senderMac, arp.senderIp));
    }
  }

  #answerEchoRequest(frame: Uint8Array, icmpStart: number, icmpEnd: number, source: number, identifier: number, sequence: number): void {
    const sourceMac = this.#settings.mode === 'ethernet' ? frame.slice(6, 12) : new Uint8Array(6);
    const payload = frame.slice(icmpStart + 8, icmpEnd);
    this.#iface.trySend(
      this.#frames.echo({ type: IcmpType.EchoReply, identifier, sequence, payload }, sourceMac, source, this.#settings.ttl),
    );
  }

  #onEchoReply(sequence: number, icmpLength: number, ttl: number): void {
    const sentAt = this.#sentAt.get(sequence);
    const targetText = formatIpv4(this.#settings.target);
    if (sentAt === undefined) {
      if (this.#answered.has(sequence)) {
        this.#statistics.duplicates++;
        if (!this.#settings.quiet)
          this.#io.stdout.write(`${icmpLength} bytes from ${targetText}: icmp_seq=${sequence} ttl=${ttl} (DUP!)\n`);
      }
      return;
    }
    this.#sentAt.delete(sequence);
    this.#answered.add(sequence);
    const rttMs = Number(process.hrtime.bigint() - sentAt) / 1e6;
    this.#statistics.addReply(rttMs);
    if (!this.#settings.quiet) {
      this.#io.stdout.write(`${icmpLength} bytes from ${targetText}: icmp_seq=${sequence} ttl=${ttl} time=${formatRtt(rttMs)} ms\n`);
    }
  }
}
