import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import type { MemifInterface } from '@memif/memif';
import { CommandFailure } from './command-failure.ts';
import type { CommandIo } from './command-io.ts';
import { ignoreAbort } from './ignore-abort.ts';
import { connectTimeoutMs, interfaceFlagSpecs, interfaceFlagsHelp, interfaceOptionsFromFlags } from './interface-flags.ts';
import { interruptSignal } from './interrupt-signal.ts';
import { closeInterface, openInterface } from './open-interface.ts';
import { numberFlag, parseCommandLine } from './parse-command-line.ts';
import { LinkType, linkTypeName, type PcapRecord } from './pcap-format.ts';
import { PcapFormatError } from './pcap-format-error.ts';
import { parsePcap } from './pcap-reader.ts';
import { waitForTxDrain } from './tx-drain.ts';
import { UsageError } from './usage-error.ts';

export const replayUsage = `Usage: memif replay [options] <file.pcap>

Waits for the interface to connect, then sends the frames of a pcap file into it: at the file's
own pace, at --rate frames per second, or as fast as the ring takes them (--topspeed). Prints a
progress line while it runs and a summary at the end.
Exit status: 0 all frames sent, 1 not connected / peer went away / unreadable file, 2 usage error.

Replay:
  --rate <pps>               frames per second
  --topspeed                 as fast as possible
  --loop <n>                 send the file n times (0: until Ctrl-C); default 1
  --drain-timeout <s>        seconds to wait for the peer to take the last frames; default 2
  --hold <s>                 stay connected this long after the last frame; default 0 (DPDK
                             resets its port counters when the peer disconnects)
  -h, --help                 show this help

${interfaceFlagsHelp}

Example (into DPDK testpmd in rxonly mode):
  memif replay --vdev net_memif0,role=client,socket=/tmp/m.sock,socket-abstract=no --topspeed out.pcap
`;

const replayFlagSpecs = {
  ...interfaceFlagSpecs,
  rate: { type: 'string' },
  topspeed: { type: 'boolean' },
  loop: { type: 'string' },
  'drain-timeout': { type: 'string' },
  hold: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** When frame `index` (counted over all loops) is due, in ms after the start. */
type Schedule = (index: number) => number;

function fileSchedule(records: readonly PcapRecord[]): Schedule {
  const first = records[0]?.timestampMicros ?? 0;
  const last = records.at(-1)?.timestampMicros ?? first;
  // Each loop starts one average gap after the previous loop's last frame.
  const period = (last - first) / 1000 + (records.length > 1 ? (last - first) / 1000 / (records.length - 1) : 0);
  return (index) => {
    const loop = Math.floor(index / records.length);
    const record = records[index % records.length];
    return loop * period + ((record?.timestampMicros ?? first) - first) / 1000;
  };
}

const PROGRESS_INTERVAL_MS = 1000;

/** `memif replay`: resolves to the exit code. */
export async function replayCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandLine(args, replayFlagSpecs);
  if (values.help === true) {
    io.stdout.write(replayUsage);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(`expected one pcap file, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
  const file = positionals[0] ?? '';
  const rate = numberFlag(values.rate, '--rate', { min: 0.001, max: 1e9 });
  if (rate !== undefined && values.topspeed === true) throw new UsageError('--rate and --topspeed exclude each other; give one');
  const loops = numberFlag(values.loop, '--loop', { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true }) ?? 1;
  const drainMs = (numberFlag(values['drain-timeout'], '--drain-timeout', { min: 0, max: 3600 }) ?? 2) * 1000;
  const holdMs = (numberFlag(values.hold, '--hold', { min: 0, max: 86_400 }) ?? 0) * 1000;
  const options = interfaceOptionsFromFlags(values);
  const mode = options.mode ?? 'ethernet';

  let records: PcapRecord[];
  let linkType: number;
  try {
    ({ records, linkType } = parsePcap(readFileSync(file)));
  } catch (error) {
    if (error instanceof PcapFormatError) throw new CommandFailure(`${file}: ${error.message}`);
    throw new CommandFailure(`cannot read ${file}: ${(error as Error).message}`);
  }
  const expected = mode === 'ip' ? LinkType.RawIp : LinkType.Ethernet;
  if (linkType !== expected) {
    throw new UsageError(
      `${file} holds ${linkTypeName(linkType)} frames but the interface mode is ${mode}; use --mode ${linkType === LinkType.RawIp ? 'ip' : 'ethernet'} or another file`,
    );
  }
  if (records.length === 0) throw new CommandFailure(`${file} holds no frames`);
  const total = loops === 0 ? Number.POSITIVE_INFINITY : loops * records.length;
  const schedule: Schedule | undefined =
    values.topspeed === true ? undefined : rate !== undefined ? (i) => (i * 1000) / rate : fileSchedule(records);

  const interrupt = interruptSignal();
  try {
    const iface = await openInterface(options, { timeoutMs: connectTimeoutMs(values), io, signal: interrupt.signal });
    try {
      const code = await replay(iface, records, total, schedule, drainMs, io, interrupt.signal);
      await delay(holdMs, undefined, { signal: interrupt.signal }).catch(ignoreAbort);
      return code;
    } finally {
      await closeInterface(iface);
    }
  } finally {
    interrupt.dispose();
  }
}

async function replay(
  iface: MemifInterface,
  records: readonly PcapRecord[],
  total: number,
  schedule: Schedule | undefined,
  drainMs: number,
  io: CommandIo,
  signal: AbortSignal,
): Promise<number> {
  let sent = 0;
  let bytes = 0;
  const started = performance.now();
  let lastProgress = started;
  const progress = (final: boolean): void => {
    const elapsed = (performance.now() - started) / 1000;
    const rate = elapsed > 0 ? Math.round(sent / elapsed) : 0;
    const line = `sent ${sent}${Number.isFinite(total) ? `/${total}` : ''} frames, ${rate} pps`;
    if (io.stderr.isTTY === true) io.stderr.write(`\r${line}${final ? '\n' : ''}`);
    else if (!final) io.stderr.write(`${line}\n`);
  };
  let failure: string | undefined;
  while (sent < total && !signal.aborted) {
    if (schedule !== undefined) {
      const wait = schedule(sent) - (performance.now() - started);
      if (wait > 1) await delay(Math.min(wait, PROGRESS_INTERVAL_MS), undefined, { signal }).catch(ignoreAbort);
      if (signal.aborted || schedule(sent) > performance.now() - started) continue;
    }
    const frame = (records[sent % records.length] as PcapRecord).data;
    if (!iface.trySend(frame)) {
      try {
        await iface.send(frame);
      } catch (error) {
        failure = (error as Error).message;
        break;
      }
    }
    sent++;
    bytes += frame.length;
    const now = performance.now();
    if (now - lastProgress >= PROGRESS_INTERVAL_MS) {
      lastProgress = now;
      progress(false);
      // Let signals and the progress line through during a long top-speed run.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  const drained = await waitForTxDrain(iface, drainMs);
  progress(true);
  const seconds = (performance.now() - started) / 1000;
  io.stdout.write(
    `${sent} frames (${bytes} bytes) sent in ${seconds.toFixed(3)} s, ${seconds > 0 ? Math.round(sent / seconds) : sent} pps${drained ? '' : '; the peer had not taken all of them when we stopped waiting'}\n`,
  );
  if (failure !== undefined) throw new CommandFailure(`stopped after ${sent} frames: ${failure}`);
  return 0;
}
