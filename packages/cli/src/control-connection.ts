import { decodeMsg, encodeMsg, MSG_SIZE, type Msg } from '@memif/protocol';
import { closeFd, FdWatcher, SeqpacketSocket, type UnixAddress } from '@memif/shm-native';

/** What `receive` can yield besides a message: the peer closed, or said nothing in time. */
export type ControlEvent = { kind: 'message'; msg: Msg } | { kind: 'eof' } | { kind: 'timeout' };

/**
 * A raw memif control channel to a master, one message at a time, for tools that need to see
 * exactly what the peer says (the interface in @memif/memif hides the handshake on purpose).
 */
export class ControlConnection {
  readonly #socket: SeqpacketSocket;
  readonly #buffer = new Uint8Array(MSG_SIZE * 2);

  private constructor(socket: SeqpacketSocket) {
    this.#socket = socket;
  }

  /** Connects; rejects with shm-native's errno error (ENOENT, ECONNREFUSED, …) when nobody listens. */
  static async connect(address: UnixAddress, timeoutMs: number): Promise<ControlConnection> {
    const socket = SeqpacketSocket.connect(address);
    if (socket.connectState === 'pending') {
      const ready = await waitForFd(socket.fd, 'writable', timeoutMs);
      const failure = ready ? socket.connectError() : new Error(`connect did not complete within ${timeoutMs} ms`);
      if (failure !== null) {
        socket.close();
        throw failure;
      }
    }
    return new ControlConnection(socket);
  }

  /** The next message, EOF, or a timeout. Descriptors that come along are closed at once. */
  async receive(timeoutMs: number): Promise<ControlEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const received = this.#socket.tryReceive(this.#buffer, { maxFds: 1 });
      if (received !== null) {
        for (const fd of received.fds) closeFd(fd);
        if (received.bytes === 0) return { kind: 'eof' };
        return { kind: 'message', msg: decodeMsg(this.#buffer.subarray(0, received.bytes)) };
      }
      const left = deadline - Date.now();
      if (left <= 0 || !(await waitForFd(this.#socket.fd, 'readable', left))) return { kind: 'timeout' };
    }
  }

  /** Sends one message; false if the peer is gone. */
  send(msg: Msg): boolean {
    try {
      return this.#socket.trySend(encodeMsg(msg));
    } catch {
      return false;
    }
  }

  close(): void {
    this.#socket.close();
  }
}

function waitForFd(fd: number, mode: 'readable' | 'writable', timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const watcher = new FdWatcher(fd, () => finish(true));
    const timer = setTimeout(() => finish(false), timeoutMs);
    function finish(ready: boolean): void {
      clearTimeout(timer);
      watcher.close();
      resolve(ready);
    }
    watcher.start(mode);
  });
}
