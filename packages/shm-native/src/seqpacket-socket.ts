import { constants } from 'node:os';
import { assertFd, assertInteger } from './assert-argument.ts';
import { resolveBinding } from './default-binding.ts';
import { ErrnoError } from './errno-error.ts';
import { InvalidArgumentError } from './invalid-argument-error.ts';
import type { NativeBinding } from './native.ts';
import { OwnedFd } from './owned-fd.ts';
import { encodeUnixAddress, type UnixAddress } from './unix-address.ts';

const { EAGAIN, EINPROGRESS, EADDRINUSE, ENOENT, ECONNREFUSED } = constants.errno;
const NO_FDS = new Int32Array(0);
/** The kernel's limit on descriptors per message (SCM_MAX_FD). */
const MAX_FDS = 253;

export interface Credentials {
  readonly pid: number;
  readonly uid: number;
  readonly gid: number;
}

export interface ReceivedMessage {
  /** Bytes received into the caller's buffer; 0 means the peer closed (EOF). */
  readonly bytes: number;
  /** Descriptors received, in order; the caller owns (and must close) them. */
  readonly fds: number[];
  /** MSG_TRUNC: the datagram was longer than the buffer and the rest is lost. */
  readonly truncated: boolean;
  /** MSG_CTRUNC: some descriptors did not fit and the kernel dropped them. */
  readonly controlTruncated: boolean;
  /** Descriptors that arrived beyond `maxFds` and were closed on arrival. */
  readonly excessFdsClosed: number;
  /** SCM_CREDENTIALS, present when the receiving listener set `passCredentials`. */
  readonly credentials: Credentials | null;
}

export interface ReceiveOptions {
  /** How many descriptors the caller accepts; any others are closed. Default 1. */
  readonly maxFds?: number;
}

export interface ListenOptions {
  /** listen(2) backlog. Default 16. */
  readonly backlog?: number;
  /** SO_PASSCRED, as DPDK, VPP and libmemif masters set it. Default false. */
  readonly passCredentials?: boolean;
  readonly binding?: NativeBinding | undefined;
}

export interface ConnectOptions {
  readonly binding?: NativeBinding | undefined;
}

export type ConnectState = 'connected' | 'pending';
export type ShutdownHow = 'read' | 'write' | 'both';

/**
 * A non-blocking, close-on-exec AF_UNIX SOCK_SEQPACKET socket: message boundaries are kept and
 * descriptors travel as SCM_RIGHTS. Readiness comes from an `FdWatcher` on `fd`. Owns its fd.
 */
export class SeqpacketSocket extends OwnedFd {
  /** The address this socket listens on or connected to, if any. */
  readonly address: UnixAddress | null;
  /** For `connect()`: whether the connection completed immediately. */
  readonly connectState: ConnectState;
  readonly #meta = new Int32Array(7);
  readonly #scratch = new Int32Array(1);
  #fdsOut = new Int32Array(1);

  private constructor(fd: number, binding: NativeBinding, address: UnixAddress | null = null, connectState: ConnectState = 'connected') {
    super(fd, binding, 'socket');
    this.address = address;
    this.connectState = connectState;
  }

  /** socket + bind + listen (+ SO_PASSCRED). Does not remove an existing socket file. */
  static listen(address: UnixAddress, options: ListenOptions = {}): SeqpacketSocket {
    const encoded = encodeUnixAddress(address);
    const backlog = options.backlog ?? 16;
    assertInteger(backlog, 'backlog', 0, 0x7fffffff);
    const binding = resolveBinding(options.binding);
    const socket = new SeqpacketSocket(openSocket(binding), binding, address);
    try {
      const path = encoded.display;
      if (options.passCredentials === true) {
        const { SOL_SOCKET, SO_PASSCRED } = binding.constants;
        ErrnoError.check(binding.setsockoptInt(socket.fd, SOL_SOCKET, SO_PASSCRED, 1), 'setsockopt');
      }
      const bound = binding.bind(socket.fd, encoded.bytes, encoded.abstract);
      ErrnoError.check(bound, 'bind', {
        path,
        hint:
          bound === -EADDRINUSE
            ? encoded.abstract
              ? 'another socket holds this abstract name'
              : 'a socket file already exists here; unlink it if no listener owns it'
            : undefined,
      });
      ErrnoError.check(binding.listen(socket.fd, backlog), 'listen', { path });
      return socket;
    } catch (error) {
      socket.close();
      throw error;
    }
  }

  /**
   * socket + non-blocking connect. `connectState` is 'connected', or 'pending' until the fd
   * turns writable (watch it with `FdWatcher` in 'writable' mode), then check `connectError()`.
   */
  static connect(address: UnixAddress, options: ConnectOptions = {}): SeqpacketSocket {
    const encoded = encodeUnixAddress(address);
    const binding = resolveBinding(options.binding);
    const fd = openSocket(binding);
    const result = binding.connect(fd, encoded.bytes, encoded.abstract);
    if (result === 0 || result === -EINPROGRESS) {
      return new SeqpacketSocket(fd, binding, address, result === 0 ? 'connected' : 'pending');
    }
    binding.close(fd);
    throw new ErrnoError(result, 'connect', { path: encoded.display, hint: connectHint(result) });
  }

  /** A connected pair (socketpair(2)), e.g. to hand one end to a child process. */
  static pair(binding?: NativeBinding): [SeqpacketSocket, SeqpacketSocket] {
    const resolved = resolveBinding(binding);
    const { AF_UNIX, SOCK_SEQPACKET, SOCK_NONBLOCK, SOCK_CLOEXEC } = resolved.constants;
    const fds = new Int32Array(2);
    const type = SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC;
    ErrnoError.check(resolved.socketpair(AF_UNIX, type, 0, fds), 'socketpair');
    return [new SeqpacketSocket(fds[0] ?? -1, resolved), new SeqpacketSocket(fds[1] ?? -1, resolved)];
  }

  /** Takes ownership of an existing connected SOCK_SEQPACKET descriptor. */
  static fromFd(fd: number, binding?: NativeBinding): SeqpacketSocket {
    assertFd(fd);
    return new SeqpacketSocket(fd, resolveBinding(binding));
  }

  /** accept4 (non-blocking, close-on-exec); null when no connection is waiting. */
  accept(): SeqpacketSocket | null {
    const { SOCK_NONBLOCK, SOCK_CLOEXEC } = this.binding.constants;
    const fd = this.binding.accept4(this.fd, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd === -EAGAIN) return null;
    return new SeqpacketSocket(ErrnoError.check(fd, 'accept'), this.binding);
  }

  /** SO_ERROR: why a pending connect failed, or null if it succeeded (or is still going). */
  connectError(): ErrnoError | null {
    const { SOL_SOCKET, SO_ERROR } = this.binding.constants;
    ErrnoError.check(this.binding.getsockoptInt(this.fd, SOL_SOCKET, SO_ERROR, this.#scratch), 'getsockopt');
    const error = this.#scratch[0] ?? 0;
    if (error === 0) return null;
    const path = this.address === null ? undefined : encodeUnixAddress(this.address).display;
    return new ErrnoError(-error, 'connect', { path, hint: connectHint(-error) });
  }

  /**
   * Sends `data` as one datagram with `fds` attached (SCM_RIGHTS; the caller keeps ownership
   * of them). Returns false when the socket buffer is full (EAGAIN): retry when writable.
   */
  trySend(data: Uint8Array, fds: readonly number[] = []): boolean {
    if (!(data instanceof Uint8Array)) throw new InvalidArgumentError('data must be a Uint8Array');
    if (fds.length > MAX_FDS) throw new InvalidArgumentError(`at most ${MAX_FDS} fds per message`);
    for (const fd of fds) assertFd(fd, 'fds[]');
    const fdArray = fds.length === 0 ? NO_FDS : Int32Array.from(fds);
    const result = this.binding.sendmsg(this.fd, data, fdArray);
    if (result === -EAGAIN) return false;
    ErrnoError.check(result, 'sendmsg');
    return true;
  }

  /**
   * Receives one datagram into `buffer`; null when none is waiting (EAGAIN). Descriptors beyond
   * `maxFds` are closed, never leaked. Allocates the result object and its `fds` array.
   */
  tryReceive(buffer: Uint8Array, options: ReceiveOptions = {}): ReceivedMessage | null {
    if (!(buffer instanceof Uint8Array)) {
      throw new InvalidArgumentError('buffer must be a Uint8Array');
    }
    const maxFds = options.maxFds ?? 1;
    assertInteger(maxFds, 'maxFds', 0, MAX_FDS);
    if (this.#fdsOut.length !== maxFds) this.#fdsOut = new Int32Array(maxFds);
    const meta = this.#meta;
    const bytes = this.binding.recvmsg(this.fd, buffer, this.#fdsOut, meta);
    if (bytes === -EAGAIN) return null;
    ErrnoError.check(bytes, 'recvmsg');
    const { MSG_TRUNC, MSG_CTRUNC } = this.binding.constants;
    const flags = meta[2] ?? 0;
    return {
      bytes,
      fds: Array.from(this.#fdsOut.subarray(0, meta[0] ?? 0)),
      truncated: (flags & MSG_TRUNC) !== 0,
      controlTruncated: (flags & MSG_CTRUNC) !== 0,
      excessFdsClosed: meta[1] ?? 0,
      credentials: meta[3] === 1 ? { pid: meta[4] ?? 0, uid: (meta[5] ?? 0) >>> 0, gid: (meta[6] ?? 0) >>> 0 } : null,
    };
  }

  /** SO_PEERCRED: the peer process's credentials at connect time. */
  peerCredentials(): Credentials {
    const out = new Int32Array(3);
    ErrnoError.check(this.binding.getsockoptPeercred(this.fd, out), 'getsockopt');
    return { pid: out[0] ?? 0, uid: (out[1] ?? 0) >>> 0, gid: (out[2] ?? 0) >>> 0 };
  }

  /** shutdown(2). Default 'both'. */
  shutdown(how: ShutdownHow = 'both'): void {
    const { SHUT_RD, SHUT_WR, SHUT_RDWR } = this.binding.constants;
    const value = { read: SHUT_RD, write: SHUT_WR, both: SHUT_RDWR }[how];
    if (value === undefined) throw new InvalidArgumentError(`unknown shutdown mode ${how}`);
    ErrnoError.check(this.binding.shutdown(this.fd, value), 'shutdown');
  }

  /** Closes the descriptor. Idempotent. Does not unlink a listener's socket file. */
  override close(): void {
    super.close();
  }
}

function openSocket(binding: NativeBinding): number {
  const { AF_UNIX, SOCK_SEQPACKET, SOCK_NONBLOCK, SOCK_CLOEXEC } = binding.constants;
  const type = SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC;
  return ErrnoError.check(binding.socket(AF_UNIX, type, 0), 'socket');
}

function connectHint(result: number): string | undefined {
  switch (-result) {
    case EAGAIN:
      return "the listener's backlog is full; retry later";
    case ENOENT:
    case ECONNREFUSED:
      return 'nothing is listening there';
    default:
      return undefined;
  }
}
