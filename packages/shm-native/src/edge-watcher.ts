import { assertFd } from './assert-argument.ts';
import { resolveBinding } from './default-binding.ts';
import { ErrnoError } from './errno-error.ts';
import { FdWatcher } from './fd-watcher.ts';
import { InvalidArgumentError } from './invalid-argument-error.ts';
import type { NativeBinding } from './native.ts';
import { ResourceClosedError } from './resource-closed-error.ts';

export interface EdgeWatcherOptions {
  /**
   * Who takes the pending event out of the epoll set: `'before-callback'` (default) drains it
   * before calling back, so a signal that arrives during the callback calls back again;
   * `'caller'` calls back first, saving that syscall on the way to the callback, and leaves the
   * draining to the caller, who must call {@link EdgeWatcher.drain} before returning to the event
   * loop (or it calls back again at once), and, since a signal arriving before that drain is
   * taken with it, look at what it watches once more after draining.
   */
  readonly drain?: 'before-callback' | 'caller';
}

/**
 * Calls back once for each burst of new signals on a descriptor (an eventfd a peer writes),
 * without ever reading or writing that descriptor: it sits edge-triggered (EPOLLET) in an epoll
 * set of our own, the event loop watches the epoll fd, and each wake-up drains the set with
 * zero-timeout epoll_wait calls. Whatever the peer does to the shared file (clear O_NONBLOCK,
 * read the counter first, switch to semaphore semantics, fill the counter), no syscall here
 * touches it, so none can block or spin on its account. Does not own the watched fd.
 */
export class EdgeWatcher {
  readonly fd: number;
  readonly #binding: NativeBinding;
  readonly #epollFd: number;
  readonly #watcher: FdWatcher;
  readonly #events = new Int32Array(2 * 8);
  #closed = false;

  constructor(fd: number, callback: (error: ErrnoError | null) => void, binding?: NativeBinding, options: EdgeWatcherOptions = {}) {
    assertFd(fd);
    if (typeof callback !== 'function') throw new InvalidArgumentError('callback must be a function');
    this.fd = fd;
    const b = resolveBinding(binding);
    this.#binding = b;
    const drainFirst = (options.drain ?? 'before-callback') === 'before-callback';
    if (!drainFirst && options.drain !== 'caller') {
      throw new InvalidArgumentError(`drain must be 'before-callback' or 'caller', got ${JSON.stringify(options.drain)}`);
    }
    const { EPOLL_CLOEXEC, EPOLL_CTL_ADD, EPOLLIN, EPOLLET } = b.constants;
    this.#epollFd = ErrnoError.check(b.epollCreate1(EPOLL_CLOEXEC), 'epoll_create1');
    try {
      ErrnoError.check(b.epollCtl(this.#epollFd, EPOLL_CTL_ADD, fd, EPOLLIN | EPOLLET), 'epoll_ctl', {
        hint: `fd ${fd} must be pollable (eventfds, sockets and pipes are)`,
      });
      this.#watcher = new FdWatcher(
        this.#epollFd,
        (event) => {
          if (event.error !== null) return callback(event.error);
          callback(drainFirst ? this.drain() : null);
        },
        b,
      );
    } catch (error) {
      b.close(this.#epollFd);
      throw error;
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  get active(): boolean {
    return this.#watcher.active;
  }

  /** Whether this watcher, while started, keeps the event loop (and so the process) alive. */
  hasRef(): boolean {
    return this.#watcher.hasRef();
  }

  /** Lets the process exit while this watcher is the only thing left watching. */
  unref(): this {
    this.#watcher.unref();
    return this;
  }

  /** Undoes `unref()` (ref'd is the default). */
  ref(): this {
    this.#watcher.ref();
    return this;
  }

  /** Starts reporting signals; signals that arrived while stopped are reported now. */
  start(): void {
    if (this.#closed) throw new ResourceClosedError('edge watcher');
    this.#watcher.start('readable');
  }

  /** Stops reporting; a signal arriving meanwhile is reported by the next `start()`. */
  stop(): void {
    this.#watcher.stop();
  }

  /** Releases the watcher and the epoll fd. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#watcher.close();
    ErrnoError.check(this.#binding.close(this.#epollFd), 'close');
  }

  /**
   * Takes the pending event (if any) out of the epoll set, with one zero-timeout epoll_wait;
   * returns the failure, if any. The watched fd is never touched. A no-op once closed.
   */
  drain(): ErrnoError | null {
    if (this.#closed) return null;
    // Edge-triggered, and the set holds a single fd: one call takes the one event that stands
    // for every signal since the last wait. A signal after it makes the epoll fd readable again
    // and calls back once more, so a second call would only cost a syscall on every wake-up.
    const n = this.#binding.epollWait(this.#epollFd, this.#events);
    return n < 0 ? new ErrnoError(n, 'epoll_wait') : null;
  }
}
