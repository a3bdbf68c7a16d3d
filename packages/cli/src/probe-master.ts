import { type Stats, statSync } from 'node:fs';
import { InterfaceMode, MEMIF_VERSION, type MsgHello, MsgType, ProtocolError } from '@memif/protocol';
import { ErrnoError, type UnixAddress } from '@memif/shm-native';
import { ControlConnection, type ControlEvent } from './control-connection.ts';

/** What `memif inspect` learned from a master; also its `--json` output. */
export interface MasterProbe {
  readonly socket: string;
  readonly abstract: boolean;
  /** Set when the connection failed or the master misbehaved; the probe stops there. */
  error?: { code: string; message: string; hint?: string };
  hello?: Omit<MsgHello, 'type'> & { versionSupported: boolean };
  /** The master's DISCONNECT before INIT, if it sent one instead of HELLO. */
  disconnectReason?: string;
  init?: {
    id: number;
    mode: 'ethernet' | 'ip' | 'punt-inject';
    secretGiven: boolean;
    accepted: boolean;
    /** The master's DISCONNECT reason, or what happened instead of an answer. */
    reason?: string;
  };
}

export interface ProbeInit {
  readonly id: number;
  readonly mode: 'ethernet' | 'ip' | 'punt-inject';
  readonly secret: string;
}

const wireMode = { ethernet: InterfaceMode.Ethernet, ip: InterfaceMode.Ip, 'punt-inject': InterfaceMode.PuntInject } as const;

const APP_NAME = 'memif inspect';
const DONE_REASON = 'inspect done';

function connectHint(code: string, address: UnixAddress): string | undefined {
  if (code === 'EACCES') return 'connecting to a filesystem socket needs write permission on the socket file';
  if (code !== 'ENOENT' && code !== 'ECONNREFUSED') return undefined;
  if ('abstract' in address) {
    return `nothing listens on the abstract name @${address.abstract}; if the server uses socket-abstract=no, give the path without @ and without --abstract`;
  }
  return `nothing listens on ${address.path}; DPDK's default is the abstract name /run/memif.sock (try: memif inspect @/run/memif.sock), and DPDK needs socket-abstract=no to use a filesystem path`;
}

/** What is at `path` when it is there but not a socket (connect says only ECONNREFUSED then). */
function notASocket(path: string): string | undefined {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch {
    return undefined;
  }
  if (stats.isSocket()) return undefined;
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFile()) return 'a regular file';
  return 'a special file';
}

function describeEvent(event: ControlEvent, what: string, timeoutMs: number): string {
  if (event.kind === 'eof') return `the master closed the connection without a reason (instead of ${what})`;
  if (event.kind === 'timeout') return `no ${what} within ${timeoutMs / 1000} s`;
  return `unexpected ${event.msg.type === MsgType.Disconnect ? 'DISCONNECT' : `message type ${event.msg.type}`} instead of ${what}`;
}

/**
 * How long after an ACK of INIT a close still means "refused": libmemif 4.0 answers an id it has
 * no interface for with ACK and closes in the same step, so the close is there almost at once.
 */
const ACK_SETTLE_MS = 200;

/** Whether an ACKed INIT really was accepted: not if the master closes (or disconnects) right after. */
async function settleAck(connection: ControlConnection, id: number, timeoutMs: number): Promise<{ accepted: boolean; reason?: string }> {
  const after = await connection.receive(Math.min(timeoutMs, ACK_SETTLE_MS));
  if (after.kind === 'eof') {
    return {
      accepted: false,
      reason: `the master ACKed INIT, then closed the connection without a reason: most likely it has no interface with id ${id}`,
    };
  }
  if (after.kind === 'message' && after.msg.type === MsgType.Disconnect) return { accepted: false, reason: after.msg.reason };
  return { accepted: true };
}

/**
 * Connects to a master as a slave just far enough to read its HELLO and, given `init`, to learn
 * whether it accepts that id, mode and secret (ACK) or refuses them (DISCONNECT and its reason).
 * Never throws for what the master does; everything lands in the returned probe.
 */
export async function probeMaster(address: UnixAddress, init: ProbeInit | undefined, timeoutMs: number): Promise<MasterProbe> {
  const abstract = 'abstract' in address;
  const probe: MasterProbe = { socket: abstract ? `@${address.abstract}` : address.path, abstract };
  let connection: ControlConnection;
  try {
    connection = await ControlConnection.connect(address, timeoutMs);
  } catch (error) {
    const code = ErrnoError.isInstance(error) ? error.code : 'ETIMEDOUT';
    const path = 'path' in address ? address.path : undefined;
    const notSocket = code === 'ECONNREFUSED' && path !== undefined ? notASocket(path) : undefined;
    if (notSocket !== undefined) {
      probe.error = {
        code: 'ENOTSOCK',
        message: `${path} is not a socket but ${notSocket}`,
        hint: 'a memif server creates its socket file when it starts; give the path of that socket (or @name for an abstract one)',
      };
      return probe;
    }
    const hint = connectHint(code, address);
    probe.error = { code, message: (error as Error).message, ...(hint === undefined ? {} : { hint }) };
    return probe;
  }
  try {
    const first = await connection.receive(timeoutMs);
    if (first.kind === 'message' && first.msg.type === MsgType.Disconnect) {
      probe.disconnectReason = first.msg.reason;
      probe.error = { code: 'DISCONNECTED', message: `the master disconnected before HELLO: ${first.msg.reason}` };
      return probe;
    }
    if (first.kind !== 'message' || first.msg.type !== MsgType.Hello) {
      probe.error = { code: 'NO_HELLO', message: describeEvent(first, 'HELLO', timeoutMs) };
      return probe;
    }
    const { type: _type, ...hello } = first.msg;
    probe.hello = { ...hello, versionSupported: hello.minVersion <= MEMIF_VERSION && MEMIF_VERSION <= hello.maxVersion };
    if (init !== undefined) {
      connection.send({
        type: MsgType.Init,
        version: MEMIF_VERSION,
        id: init.id,
        mode: wireMode[init.mode],
        secret: init.secret,
        name: APP_NAME,
      });
      const reply = await connection.receive(timeoutMs);
      const verdict = { id: init.id, mode: init.mode, secretGiven: init.secret !== '' };
      if (reply.kind === 'message' && reply.msg.type === MsgType.Ack)
        probe.init = { ...verdict, ...(await settleAck(connection, init.id, timeoutMs)) };
      else if (reply.kind === 'message' && reply.msg.type === MsgType.Disconnect)
        probe.init = { ...verdict, accepted: false, reason: reply.msg.reason };
      else probe.init = { ...verdict, accepted: false, reason: describeEvent(reply, 'an answer to INIT', timeoutMs) };
    }
    // Only a master that accepted our INIT has a connection to end: libmemif 4.0 dereferences a
    // NULL connection on a DISCONNECT before INIT. Otherwise closing says all there is to say.
    if (probe.init?.accepted === true) connection.send({ type: MsgType.Disconnect, code: 0, reason: DONE_REASON });
  } catch (error) {
    if (!ProtocolError.isInstance(error)) throw error;
    probe.error = { code: error.code, message: `the master sent a malformed message: ${error.message}` };
  } finally {
    connection.close();
  }
  return probe;
}
