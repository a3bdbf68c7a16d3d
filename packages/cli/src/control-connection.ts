import { ControlChannel } from '@memif/memif/control';
import type { Msg } from '@memif/protocol';
import { closeFd, FdWatcher, SeqpacketSocket, type UnixAddress } from '@memif/shm-native';

/** What `receive` can yield besides a message: the peer closed, or said nothing in time. */
export type ControlEvent = { kind: 'message'; msg: Msg } | { kind: 'eof' } | { kind: 'timeout' };

type Received = { kind: 'message'; msg: Msg } | { kind: 'eof' } | { kind: 'malformed'; error: unknown };

/**
 * A memif control channel to a master read one message at a time, for tools that need to see
 * exactly what the peer says (the interface in @memif/memif hides the handshake on purpose). The
 * channel itself is @memif/memif's: the same framing, size checks and fd handling.
 */
export class ControlConnection {
  readonly #channel: ControlChannel;
  readonly #received: Received[] = [];
  #wake: (() => void) | undefined;

  private constructor(socket: SeqpacketSocket) {
    this.#channel = new ControlChannel(
      socket,
      {
        message: (msg, fd) => {
          // A probe maps nothing: descriptors that come along are closed at once.
          if (fd !== undefined) closeFd(fd);
          this.#push({ kind: 'message', msg });
        },
        malformed: (error) => this.#push({ kind: 'malformed', error }),
        hangup: () => {
          this.#channel.close();
          this.#push({ kind: 'eof' });
        },
      },
      'memif inspect',
    );
    this.#channel.start();
  }

  /** Connects; rejects with shm-native's errno error (ENOENT, ECONNREFUSED, …) when nobody listens. */
  static async connect(address: UnixAddress, timeoutMs: number): Promise<ControlConnection> {
    const socket = SeqpacketSocket.connect(address);
    if (socket.connectState === 'pending') {
      const ready = await waitForWritable(socket.fd, timeoutMs);
      const failure = ready ? socket.connectError() : new Error(`connect did not complete within ${timeoutMs} ms`);
      if (failure !== null) {
        socket.close();
        throw failure;
      }
    }
    return new ControlConnection(socket);
  }

  /**
   * The next message, EOF (again on every later call), or a timeout. Throws the decode error
   * (a ProtocolError) for a datagram that is not a memif message.
   */
  async receive(timeoutMs: number): Promise<ControlEvent> {
    if (this.#received.length === 0) await this.#nextArrival(timeoutMs);
    const next = this.#received[0];
    if (next === undefined) return { kind: 'timeout' };
    if (next.kind === 'eof') return next;
    this.#received.shift();
    if (next.kind === 'malformed') throw next.error;
    return next;
  }

  /** Sends one message; false if the peer is gone. */
  send(msg: Msg): boolean {
    return this.#channel.send(msg);
  }

  close(): void {
    this.#channel.close();
    this.#wake?.();
  }

  #push(received: Received): void {
    this.#received.push(received);
    this.#wake?.();
  }

  #nextArrival(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(), timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      this.#wake = finish;
    });
  }
}

function waitForWritable(fd: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const watcher = new FdWatcher(fd, () => finish(true));
    const timer = setTimeout(() => finish(false), timeoutMs);
    function finish(ready: boolean): void {
      clearTimeout(timer);
      watcher.close();
      resolve(ready);
    }
    watcher.start('writable');
  });
}
