import { native, protocol } from './workspace.ts';

type Msg = protocol.Msg;
type SeqpacketSocket = native.SeqpacketSocket;

/** What a {@link ControlPeer} read from the other side. */
export type Received =
  | { readonly kind: 'msg'; readonly msg: Msg; readonly fd: number | undefined }
  | { readonly kind: 'malformed'; readonly bytes: number; readonly error: string }
  | { readonly kind: 'eof' }
  | { readonly kind: 'timeout' };

/**
 * One raw memif control connection, as a misbehaving peer drives it: it sends any message, any
 * bytes and any fds, in any order, and queues what it receives (decoded when it decodes). It
 * never answers on its own. Every fd it receives is owned here and closed by {@link close}.
 */
export class ControlPeer {
  readonly socket: SeqpacketSocket;
  readonly #watcher: native.FdWatcher;
  readonly #queue: Received[] = [];
  #waiter: ((r: Received) => void) | undefined;
  readonly #buffer = new Uint8Array(protocol.MSG_SIZE + 1);
  readonly #fds: number[] = [];
  #eof = false;
  #closed = false;

  constructor(socket: SeqpacketSocket) {
    this.socket = socket;
    this.#watcher = new native.FdWatcher(socket.fd, () => this.#drain());
    this.#watcher.start('readable');
  }

  /** True once the other side closed (EOF or a socket error). */
  get hungUp(): boolean {
    return this.#eof;
  }

  /** Everything received and not yet taken by {@link next}. */
  get queued(): readonly Received[] {
    return this.#queue;
  }

  /** The next thing received, waiting up to `timeoutMs`. */
  next(timeoutMs = 5000): Promise<Received> {
    const first = this.#queue.shift();
    if (first !== undefined) return Promise.resolve(first);
    if (this.#eof) return Promise.resolve({ kind: 'eof' });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiter = undefined;
        resolve({ kind: 'timeout' });
      }, timeoutMs);
      this.#waiter = (r) => {
        clearTimeout(timer);
        this.#waiter = undefined;
        resolve(r);
      };
    });
  }

  /** The next message, which must be of `type`; throws with what came instead. */
  async expect<T extends Msg['type']>(type: T, timeoutMs = 5000): Promise<{ msg: Extract<Msg, { type: T }>; fd: number | undefined }> {
    const received = await this.next(timeoutMs);
    if (received.kind !== 'msg' || received.msg.type !== type) {
      throw new Error(`expected ${protocol.msgTypeToString(type)}, got ${describe(received)}`);
    }
    return { msg: received.msg as Extract<Msg, { type: T }>, fd: received.fd };
  }

  /** Waits for the other side to close; true if it did within `timeoutMs`. */
  async waitHangup(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.#eof) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      const r = await this.next(left);
      if (r.kind === 'eof') return true;
      if (r.kind === 'timeout') return false;
    }
  }

  /** Sends a well-formed message with `fd` attached; false when the other side is gone. */
  send(msg: Msg, fd?: number): boolean {
    return this.sendRaw(protocol.encodeMsg(msg), fd === undefined ? [] : [fd]);
  }

  /** Sends any bytes as one datagram, with any fds; false when the other side is gone. */
  sendRaw(bytes: Uint8Array, fds: readonly number[] = []): boolean {
    if (this.#closed) return false;
    try {
      return this.socket.trySend(bytes, fds);
    } catch {
      return false;
    }
  }

  /** Hangs up without a word (no DISCONNECT) and closes every fd received. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#watcher.close();
    this.socket.close();
    for (const fd of this.#fds.splice(0)) native.closeFd(fd);
    for (const r of this.#queue) if (r.kind === 'msg' && r.fd !== undefined) this.#forget(r.fd);
  }

  /** Takes an fd out of this peer's ownership (the caller closes it). */
  adoptFd(fd: number): number {
    this.#forget(fd);
    return fd;
  }

  #forget(fd: number): void {
    const at = this.#fds.indexOf(fd);
    if (at >= 0) this.#fds.splice(at, 1);
  }

  #push(r: Received): void {
    if (this.#waiter !== undefined) this.#waiter(r);
    else this.#queue.push(r);
  }

  #drain(): void {
    while (!this.#closed && !this.#eof) {
      let got: native.ReceivedMessage | null;
      try {
        got = this.socket.tryReceive(this.#buffer, { maxFds: 1 });
      } catch {
        got = { bytes: 0, fds: [], truncated: false, controlTruncated: false, excessFdsClosed: 0, credentials: null };
      }
      if (got === null) return;
      if (got.bytes === 0 && got.fds.length === 0) {
        this.#eof = true;
        this.#watcher.stop();
        this.#push({ kind: 'eof' });
        return;
      }
      this.#fds.push(...got.fds);
      try {
        if (got.truncated) throw new Error('datagram longer than 128 bytes');
        this.#push({ kind: 'msg', msg: protocol.decodeMsg(this.#buffer.subarray(0, got.bytes)), fd: got.fds[0] });
      } catch (error) {
        this.#push({ kind: 'malformed', bytes: got.bytes, error: (error as Error).message });
      }
    }
  }
}

/** A short description of what was received, for test failure messages. */
export function describe(r: Received): string {
  if (r.kind !== 'msg') return r.kind;
  const m = r.msg;
  return m.type === protocol.MsgType.Disconnect ? `DISCONNECT "${m.reason}"` : protocol.msgTypeToString(m.type);
}
