import { debuglog } from 'node:util';
import { decodeMsg, encodeMsgInto, MSG_SIZE, type Msg, msgTypeToString, ProtocolError } from '@memif/protocol';
import { closeFd, FdWatcher, type NativeBinding, type SeqpacketSocket } from '@memif/shm-native';
import { keepAlive } from './keep-alive.ts';

const debug = debuglog('memif');

/** What a control channel reports to its owner. */
export interface ControlChannelEvents {
  /** One decoded message and the fd that came with it (the owner now owns the fd). */
  message(msg: Msg, fd: number | undefined): void;
  /** A datagram that is not a memif message; its fds were already closed. */
  malformed(error: unknown): void;
  /** End of file or a socket error (`cause`, when a syscall failed): the peer is gone. */
  hangup(reason: string, cause?: unknown): void;
}

/**
 * The memif control channel over one connected SOCK_SEQPACKET socket: 128-byte messages, at most
 * one fd each, read when the socket is readable, written at once (control traffic is a handful of
 * datagrams, so a full socket buffer is treated as a broken peer).
 */
export class ControlChannel {
  readonly socket: SeqpacketSocket;
  readonly #events: ControlChannelEvents;
  readonly #watcher: FdWatcher;
  // One byte more than a message, so an oversized datagram shows as too long, not as truncated.
  readonly #receiveBuffer = new Uint8Array(MSG_SIZE + 1);
  readonly #sendBuffer = new Uint8Array(MSG_SIZE);
  readonly #label: string;
  #closed = false;

  constructor(socket: SeqpacketSocket, events: ControlChannelEvents, label: string, binding?: NativeBinding) {
    this.socket = socket;
    this.#events = events;
    this.#label = label;
    this.#watcher = new FdWatcher(
      socket.fd,
      (event) => {
        if (event.error !== null) {
          this.#hangup(`control socket error: ${event.error.message}`);
          return;
        }
        this.#drain();
      },
      binding,
    );
  }

  get closed(): boolean {
    return this.#closed;
  }

  start(): void {
    this.#watcher.start('readable');
  }

  /** Whether the socket's watcher keeps the process alive (it does by default). */
  setRef(refed: boolean): void {
    if (this.#closed) return;
    keepAlive(this.#watcher, refed);
  }

  /** Sends `msg` with `fd` attached when given. Returns false if the peer is gone. */
  send(msg: Msg, fd?: number): boolean {
    if (this.#closed) return false;
    encodeMsgInto(msg, this.#sendBuffer, 0);
    debug('%s -> %s%s', this.#label, msgTypeToString(msg.type), fd === undefined ? '' : ` (fd ${fd})`);
    try {
      if (!this.socket.trySend(this.#sendBuffer, fd === undefined ? [] : [fd])) {
        this.#hangup('control socket buffer full: the peer does not read its messages');
        return false;
      }
      return true;
    } catch (error) {
      this.#hangup(`control socket send failed: ${(error as Error).message}`, error);
      return false;
    }
  }

  /** Stops watching and closes the socket. Idempotent; safe from inside an event. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#watcher.close();
    this.socket.close();
  }

  #drain(): void {
    while (!this.#closed) {
      let received: ReturnType<SeqpacketSocket['tryReceive']>;
      try {
        received = this.socket.tryReceive(this.#receiveBuffer, { maxFds: 1 });
      } catch (error) {
        this.#hangup(`control socket receive failed: ${(error as Error).message}`);
        return;
      }
      if (received === null) return;
      if (received.bytes === 0 && received.fds.length === 0) {
        this.#hangup('Connection closed by peer');
        return;
      }
      const fd = received.fds[0];
      let msg: Msg;
      try {
        if (received.truncated) {
          throw new ProtocolError('ERR_MEMIF_MSG_SIZE', `a datagram longer than ${MSG_SIZE} bytes`, 'size');
        }
        msg = decodeMsg(this.#receiveBuffer.subarray(0, received.bytes));
      } catch (error) {
        if (fd !== undefined) closeFd(fd);
        debug('%s <- malformed datagram of %d bytes: %s', this.#label, received.bytes, (error as Error).message);
        this.#events.malformed(error);
        continue;
      }
      debug('%s <- %s%s', this.#label, msgTypeToString(msg.type), fd === undefined ? '' : ` (fd ${fd})`);
      this.#events.message(msg, fd);
    }
  }

  #hangup(reason: string, cause?: unknown): void {
    if (this.#closed) return;
    this.#events.hangup(reason, cause);
  }
}
