import { captureTimestampMicros } from './capture-clock.ts';
import type { CommandIo } from './command-io.ts';
import { formatCaptureTime, summarizeFrame } from './frame-summary.ts';
import { connectTimeoutMs, interfaceFlagSpecs, interfaceFlagsHelp, interfaceOptionsFromFlags } from './interface-flags.ts';
import { interruptSignal } from './interrupt-signal.ts';
import { closeInterface, openInterface } from './open-interface.ts';
import { numberFlag, parseCommandLine } from './parse-command-line.ts';
import { LinkType, linkTypeName, PCAP_DEFAULT_SNAPLEN } from './pcap-format.ts';
import { PcapWriter } from './pcap-writer.ts';
import { receiveFrames } from './receive-frames.ts';
import { UsageError } from './usage-error.ts';

export const captureUsage = `Usage: memif capture [options]

Receives on a memif interface, prints a one-line decode of each frame and, with -w, writes a
pcap file that tcpdump and Wireshark open (link type Ethernet, or raw IP with --mode ip).
Stops after -c frames, after --duration, or on Ctrl-C, and prints a summary.
Exit status: 0 ok, 1 the interface never connected or the file cannot be written, 2 usage error.

Capture:
  -w, --write <file.pcap>    write the frames to this pcap file
  -c, --count <n>            stop after n frames
  --duration <s>             stop after this many seconds
  --snaplen <bytes>          keep at most this many bytes of each frame; default ${PCAP_DEFAULT_SNAPLEN}
  -q, --quiet                no per-frame lines, only the summary
  -h, --help                 show this help

${interfaceFlagsHelp}

Example (capture what DPDK testpmd sends in txonly mode):
  memif capture --vdev net_memif0,role=server,socket=/tmp/m.sock,socket-abstract=no -c 100 -w out.pcap
`;

const captureFlagSpecs = {
  ...interfaceFlagSpecs,
  write: { type: 'string', short: 'w' },
  count: { type: 'string', short: 'c' },
  duration: { type: 'string' },
  snaplen: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `memif capture`: resolves to the exit code. */
export async function captureCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandLine(args, captureFlagSpecs);
  if (values.help === true) {
    io.stdout.write(captureUsage);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}' (the output file goes after -w)`);
  const count = numberFlag(values.count, '-c/--count', { min: 1, max: Number.MAX_SAFE_INTEGER, integer: true }) ?? Number.POSITIVE_INFINITY;
  const durationMs = numberFlag(values.duration, '--duration', { min: 0.001, max: 31_536_000 });
  const snaplen = numberFlag(values.snaplen, '--snaplen', { min: 1, max: PCAP_DEFAULT_SNAPLEN, integer: true }) ?? PCAP_DEFAULT_SNAPLEN;
  if (values.write === '') throw new UsageError('-w/--write needs a file name');
  const options = interfaceOptionsFromFlags(values);
  const mode = options.mode ?? 'ethernet';
  const linkType = mode === 'ip' ? LinkType.RawIp : LinkType.Ethernet;
  const quiet = values.quiet === true;

  const interrupt = interruptSignal();
  try {
    const iface = await openInterface(options, { timeoutMs: connectTimeoutMs(values), io, signal: interrupt.signal });
    let writer: PcapWriter | undefined;
    let frames = 0;
    let bytes = 0;
    const stop = new AbortController();
    const onInterrupt = (): void => stop.abort();
    interrupt.signal.addEventListener('abort', onInterrupt);
    const timer = durationMs === undefined ? undefined : setTimeout(() => stop.abort(), durationMs * 1000);
    const started = performance.now();
    try {
      writer = values.write === undefined ? undefined : new PcapWriter(values.write, linkType, snaplen);
      const where = values.write === undefined ? '' : `, writing ${values.write}`;
      io.stderr.write(
        `capturing on ${iface.config.name} (${iface.config.role === 'master' ? 'server' : 'client'}), link type ${linkTypeName(linkType)}${where}\n`,
      );
      await receiveFrames(
        iface,
        (frame) => {
          const timestamp = captureTimestampMicros();
          frames++;
          bytes += frame.length;
          writer?.write(frame, timestamp);
          if (!quiet) io.stdout.write(`${formatCaptureTime(timestamp)} ${summarizeFrame(frame, mode)}\n`);
          if (frames >= count) stop.abort();
        },
        stop.signal,
      );
    } finally {
      clearTimeout(timer);
      interrupt.signal.removeEventListener('abort', onInterrupt);
      writer?.close();
      await closeInterface(iface);
    }
    const seconds = (performance.now() - started) / 1000;
    io.stderr.write(
      `${frames} frames captured (${bytes} bytes) in ${seconds.toFixed(3)} s${values.write === undefined ? '' : `, written to ${values.write}`}\n`,
    );
    return 0;
  } finally {
    interrupt.dispose();
  }
}
