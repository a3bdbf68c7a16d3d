import { escapePeerText } from '@memif/memif';
import { MAX_SECRET_LENGTH } from '@memif/protocol';
import type { UnixAddress } from '@memif/shm-native';
import type { CommandIo } from './command-io.ts';
import { numberFlag, parseCommandLine } from './parse-command-line.ts';
import { type MasterProbe, type ProbeInit, probeMaster } from './probe-master.ts';
import { UsageError } from './usage-error.ts';

export const inspectUsage = `Usage: memif inspect [options] <socket>

Connects to a memif server (master) as a client just far enough to show what it announces in
HELLO and, with --id/--secret/--mode, whether it would accept that interface (the exact refusal
reason otherwise). Without --id, --secret or --mode it sends no message at all: it reads HELLO
and closes the connection. With them it sends INIT, and after an accepted INIT it leaves with
DISCONNECT "inspect done" (a master that refused INIT, or got none, just sees the close). An ACK
followed at once by a close counts as a refusal: libmemif 4.0 refuses an unknown id that way.
Exit status: 0 HELLO read (and INIT accepted, if sent), 1 nothing listens / refused / no HELLO,
2 usage error.

<socket> is a filesystem path, or @name for an abstract name (DPDK's default socket is the
abstract name /run/memif.sock: memif inspect @/run/memif.sock).

Options:
  --abstract          treat <socket> as an abstract name (same as writing @name)
  --id <n>            send INIT for this interface id (default 0 when --secret or --mode is given)
  --secret <s>        the secret to offer in INIT (at most ${MAX_SECRET_LENGTH} bytes)
  --mode <m>          ethernet, ip or punt-inject; default ethernet
  --timeout <s>       seconds to wait for each answer; default 5
  --json              print one JSON object instead of text
  -h, --help          show this help
`;

const inspectFlagSpecs = {
  abstract: { type: 'boolean' },
  id: { type: 'string' },
  secret: { type: 'string' },
  mode: { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const MODES = ['ethernet', 'ip', 'punt-inject'] as const;

function socketAddress(socket: string, abstract: boolean): UnixAddress {
  if (socket.startsWith('@')) return { abstract: socket.slice(1) };
  return abstract ? { abstract: socket } : { path: socket };
}

function versionText(version: number): string {
  return `${version >> 8}.${version & 0xff}`;
}

/** The probe as text, one fact per line, with the verdict last; errors go to stderr apart. */
export function formatProbe(probe: MasterProbe): string {
  const lines = [`socket              ${probe.socket} (${probe.abstract ? 'abstract' : 'filesystem'})`];
  const hello = probe.hello;
  if (hello !== undefined) {
    const compatible = hello.versionSupported ? 'compatible with our 2.0' : 'NOT compatible with our 2.0';
    lines.push(
      `name                ${escapePeerText(hello.name)}`,
      `version             ${versionText(hello.minVersion)} to ${versionText(hello.maxVersion)} (${compatible})`,
      `max region index    ${hello.maxRegion} (up to ${hello.maxRegion + 1} regions)`,
      `max m2s ring index  ${hello.maxM2sRing} (up to ${hello.maxM2sRing + 1} server-to-client queues)`,
      `max s2m ring index  ${hello.maxS2mRing} (up to ${hello.maxS2mRing + 1} client-to-server queues)`,
      `max log2 ring size  ${hello.maxLog2RingSize} (up to ${2 ** hello.maxLog2RingSize} slots per ring)`,
    );
  }
  const init = probe.init;
  if (init !== undefined) {
    const offered = `id ${init.id}, mode ${init.mode}, ${init.secretGiven ? 'with a secret' : 'no secret'}`;
    lines.push(
      init.accepted
        ? `init                accepted (${offered})`
        : `init                REFUSED (${offered}): ${init.reason === undefined ? 'no reason given' : escapePeerText(init.reason)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** `memif inspect`: resolves to the exit code. */
/** What went wrong, for stderr; the message may quote the master's DISCONNECT reason. */
export function formatProbeError(error: NonNullable<MasterProbe['error']>): string {
  return `memif inspect: ${escapePeerText(error.message)}\n${error.hint === undefined ? '' : `hint: ${error.hint}\n`}`;
}

export async function inspectCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandLine(args, inspectFlagSpecs);
  if (values.help === true) {
    io.stdout.write(inspectUsage);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] === '' || positionals[0] === '@') {
    throw new UsageError(
      `expected one socket (a path, or @name for an abstract name), got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`,
    );
  }
  const address = socketAddress(positionals[0] ?? '', values.abstract === true);
  const timeoutMs = (numberFlag(values.timeout, '--timeout', { min: 0.01, max: 3600 }) ?? 5) * 1000;
  const mode = values.mode ?? 'ethernet';
  if (!(MODES as readonly string[]).includes(mode)) throw new UsageError(`--mode must be one of ${MODES.join(', ')}, got '${mode}'`);
  const secret = values.secret ?? '';
  if (new TextEncoder().encode(secret).length > MAX_SECRET_LENGTH || secret.includes('\0')) {
    throw new UsageError(`--secret may have at most ${MAX_SECRET_LENGTH} bytes (peers compare a 24-byte field)`);
  }
  const sendInit = values.id !== undefined || values.secret !== undefined || values.mode !== undefined;
  const init: ProbeInit | undefined = sendInit
    ? { id: numberFlag(values.id, '--id', { min: 0, max: 0xffff_ffff, integer: true }) ?? 0, mode: mode as ProbeInit['mode'], secret }
    : undefined;

  const probe = await probeMaster(address, init, timeoutMs);
  io.stdout.write(values.json === true ? `${JSON.stringify(probe, null, 2)}\n` : formatProbe(probe));
  // Like every other command: what went wrong on stderr, in the `memif <command>: …` form.
  if (probe.error !== undefined) io.stderr.write(formatProbeError(probe.error));
  return probe.error === undefined && probe.init?.accepted !== false ? 0 : 1;
}
