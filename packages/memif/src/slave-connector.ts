import { debuglog } from 'node:util';
import { FdWatcher, type NativeBinding, SeqpacketSocket } from '@memif/shm-native';
import { connectFailure } from './connect-failure.ts';
import { keepAlive } from './keep-alive.ts';
import type { MemifConfig } from './memif-options.ts';
import { socketAddress } from './socket-address.ts';

const debug = debuglog('memif');

/** What a slave interface does for its connector. */
export interface SlaveConnectorHost {
  /** True while the interface wants a connection (it is neither connected, handshaking nor closed). */
  wantsConnection(): boolean;
  /** A connected socket: start the handshake on it; false when that could not start (retry later). */
  startLink(socket: SeqpacketSocket): boolean;
  /** Reports a failure to the application; true when someone heard it. */
  reportError(error: Error): boolean;
}

/**
 * A slave's way to its master: a non-blocking connect, retried every `reconnectInterval` for as
 * long as the interface wants a connection, each distinct failure reported once in a row.
 */
export class SlaveConnector {
  readonly #config: MemifConfig;
  readonly #host: SlaveConnectorHost;
  readonly #binding: NativeBinding | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #watcher: FdWatcher | undefined;
  #connecting: SeqpacketSocket | undefined;
  /** The errno code of the connect failure reported last, so a retry loop reports each change once. */
  #reportedCode: string | undefined;
  #refed = true;

  constructor(config: MemifConfig, host: SlaveConnectorHost, binding: NativeBinding | undefined) {
    this.#config = config;
    this.#host = host;
    this.#binding = binding;
  }

  /**
   * The first attempt, on the next tick as net.connect does: a failure is then heard by the
   * 'error' listener the caller adds right after construction.
   */
  start(): void {
    process.nextTick(() => this.#connect());
  }

  /** Tries again after `reconnectInterval`, unless a try is already due or the interface wants none. */
  retryLater(): void {
    if (!this.#host.wantsConnection() || this.#retryTimer !== undefined) return;
    this.#retryTimer = setTimeout(() => this.#connect(), this.#config.reconnectInterval);
    keepAlive(this.#retryTimer, this.#refed);
  }

  /** The link came up: the next failure is news again. */
  connected(): void {
    this.#reportedCode = undefined;
  }

  /** Whether the retry timer and a pending connect keep the process alive. */
  setRef(refed: boolean): void {
    this.#refed = refed;
    keepAlive(this.#retryTimer, refed);
    keepAlive(this.#watcher, refed);
  }

  /** Stops retrying and abandons a connect in progress. */
  close(): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#watcher?.close();
    this.#watcher = undefined;
    this.#connecting?.close();
    this.#connecting = undefined;
  }

  #connect(): void {
    this.#retryTimer = undefined;
    if (!this.#host.wantsConnection()) return;
    try {
      this.#tryConnect();
    } catch (error) {
      // A timer callback must not throw: whatever failed, try again on the next tick of the timer.
      this.#failed(error as Error);
      this.#watcher?.close();
      this.#watcher = undefined;
      this.#connecting?.close();
      this.#connecting = undefined;
      this.retryLater();
    }
  }

  #tryConnect(): void {
    const socket = SeqpacketSocket.connect(socketAddress(this.#config), { binding: this.#binding });
    if (socket.connectState === 'connected') {
      this.#established(socket);
      return;
    }
    this.#connecting = socket;
    this.#watcher = new FdWatcher(
      socket.fd,
      () => {
        this.#watcher?.close();
        this.#watcher = undefined;
        this.#connecting = undefined;
        let failure: Error | null;
        try {
          failure = socket.connectError();
        } catch (error) {
          failure = error as Error;
        }
        if (failure !== null || !this.#host.wantsConnection()) {
          socket.close();
          if (failure !== null) this.#failed(failure);
          this.retryLater();
          return;
        }
        this.#established(socket);
      },
      this.#binding,
    );
    keepAlive(this.#watcher, this.#refed);
    this.#watcher.start('writable');
  }

  #established(socket: SeqpacketSocket): void {
    if (!this.#host.startLink(socket)) this.retryLater();
  }

  /**
   * A slave that cannot reach its master says so through 'error' (once per distinct errno code
   * in a row, not on every retry) and `details().lastError`, and keeps retrying.
   */
  #failed(error: Error): void {
    debug('%s: connect failed, retrying in %d ms: %s', this.#config.name, this.#config.reconnectInterval, error.message);
    const failure = connectFailure(error);
    const code = (failure as { code?: unknown }).code;
    const key = typeof code === 'string' ? code : failure.message;
    if (key === this.#reportedCode) return;
    // The first attempt runs right after construction, before anyone could listen: a failure
    // nobody heard is reported again on the next attempt.
    if (this.#host.reportError(failure)) this.#reportedCode = key;
  }
}
