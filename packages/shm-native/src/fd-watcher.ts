import { assertFd } from './assert-argument.ts';
import { resolveBinding } from './default-binding.ts';
import { ErrnoError } from './errno-error.ts';
import { InvalidArgumentError } from './invalid-argument-error.ts';
import type { NativeBinding, NativePoll } from './native.ts';
import { ResourceClosedError } from './resource-closed-error.ts';

/** What to wait for: data (and hang-ups), buffer space (e.g. connect completion), or both. */
export type WatchMode = 'readable' | 'writable' | 'both';

export interface FdWatchEvent {
  readonly readable: boolean;
  readonly writable: boolean;
  /** The peer hung up (POLLRDHUP/POLLHUP); a read will return EOF. */
  readonly disconnect: boolean;
  /** POLLERR or another poll failure; the watcher has stopped itself. */
  readonly error: ErrnoError | null;
}

export type FdWatchCallback = (event: FdWatchEvent) => void;

/**
 * Calls back when a descriptor becomes readable or writable, driven by the event loop of the
 * calling thread (libuv uv_poll). Microtasks queued in the callback run right after it. Does
 * not own the fd: close the watcher before closing the fd. `close()` is safe inside the
 * callback. Allocates one event object per wake-up. Like a socket or a timer, an active watcher
 * keeps the process alive until `unref()`.
 */
export class FdWatcher {
  readonly fd: number;
  readonly #binding: NativeBinding;
  readonly #poll: NativePoll;
  #active = false;
  #closed = false;
  #refed = true;

  constructor(fd: number, callback: FdWatchCallback, binding?: NativeBinding) {
    assertFd(fd);
    if (typeof callback !== 'function') {
      throw new InvalidArgumentError('callback must be a function');
    }
    this.fd = fd;
    this.#binding = resolveBinding(binding);
    const { UV_READABLE, UV_WRITABLE, UV_DISCONNECT } = this.#binding.constants;
    this.#poll = new this.#binding.Poll((status, events) => {
      if (status < 0) this.#active = false;
      callback({
        readable: (events & UV_READABLE) !== 0,
        writable: (events & UV_WRITABLE) !== 0,
        disconnect: (events & UV_DISCONNECT) !== 0,
        error: status < 0 ? new ErrnoError(status, 'uv_poll') : null,
      });
    });
    const result = this.#poll.init(fd);
    if (result < 0) {
      this.#poll.close();
      this.#closed = true;
      throw new ErrnoError(result, 'uv_poll_init', {
        hint: 'the fd must be open and pollable (sockets, eventfds and pipes are; files are not)',
      });
    }
  }

  get active(): boolean {
    return this.#active;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Whether this watcher, while active, keeps the event loop (and so the process) alive. */
  hasRef(): boolean {
    return this.#refed;
  }

  /** Lets the process exit while this watcher is the only thing left watching (as `net.Socket#unref`). */
  unref(): this {
    if (this.#closed) return this;
    ErrnoError.check(this.#poll.unref(), 'uv_unref');
    this.#refed = false;
    return this;
  }

  /** Undoes `unref()`: an active watcher keeps the process alive again (the default). */
  ref(): this {
    if (this.#closed) return this;
    ErrnoError.check(this.#poll.ref(), 'uv_ref');
    this.#refed = true;
    return this;
  }

  /** Starts (or switches) watching. Default 'readable'. */
  start(mode: WatchMode = 'readable'): void {
    if (this.#closed) throw new ResourceClosedError('fd watcher');
    const { UV_READABLE, UV_WRITABLE, UV_DISCONNECT } = this.#binding.constants;
    const events = { readable: UV_READABLE, writable: UV_WRITABLE, both: UV_READABLE | UV_WRITABLE }[mode];
    if (events === undefined) throw new InvalidArgumentError(`unknown watch mode ${mode}`);
    ErrnoError.check(this.#poll.start(events | UV_DISCONNECT), 'uv_poll_start');
    this.#active = true;
  }

  /** Stops watching; `start()` may be called again. */
  stop(): void {
    if (this.#closed) return;
    this.#poll.stop();
    this.#active = false;
  }

  /** Releases the libuv handle. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#active = false;
    this.#poll.close();
  }
}
