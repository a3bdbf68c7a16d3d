import { constants } from 'node:os';
import { assertFd, assertInteger } from './assert-argument.ts';
import { resolveBinding } from './default-binding.ts';
import type { EdgeWatcher } from './edge-watcher.ts';
import { ErrnoError } from './errno-error.ts';
import type { EventFdSignaller } from './event-fd-signaller.ts';
import type { NativeBinding } from './native.ts';
import { OwnedFd } from './owned-fd.ts';

const EAGAIN = -constants.errno.EAGAIN;
/** The eventfd counter saturates at 2^64 - 2; JS numbers stay exact up to 2^53 - 1. */
const MAX_WRITE = Number.MAX_SAFE_INTEGER;

export interface CreateEventFdOptions {
  /** Initial counter value. Default 0. */
  readonly initialValue?: number;
  /** EFD_SEMAPHORE: each read takes 1 instead of the whole counter. Default false. */
  readonly semaphore?: boolean;
  readonly binding?: NativeBinding | undefined;
}

/** A non-blocking, close-on-exec eventfd: memif's interrupt line. Owns its fd. */
export class EventFd extends OwnedFd {
  private constructor(fd: number, binding: NativeBinding) {
    super(fd, binding, 'eventfd');
  }

  /** eventfd(initialValue, EFD_NONBLOCK | EFD_CLOEXEC [| EFD_SEMAPHORE]). */
  static create(options: CreateEventFdOptions = {}): EventFd {
    const initialValue = options.initialValue ?? 0;
    assertInteger(initialValue, 'initialValue', 0, 0xffffffff);
    const binding = resolveBinding(options.binding);
    const { EFD_NONBLOCK, EFD_CLOEXEC, EFD_SEMAPHORE } = binding.constants;
    const flags = EFD_NONBLOCK | EFD_CLOEXEC | (options.semaphore === true ? EFD_SEMAPHORE : 0);
    return new EventFd(ErrnoError.check(binding.eventfd(initialValue, flags), 'eventfd'), binding);
  }

  /**
   * Takes ownership of an eventfd received from a peer. The peer shares its flags and counter:
   * watch it with {@link EdgeWatcher} and signal it with {@link EventFdSignaller}, since `read()`
   * and `write()` here block if the peer clears O_NONBLOCK.
   */
  static fromFd(fd: number, binding?: NativeBinding): EventFd {
    assertFd(fd);
    return new EventFd(fd, resolveBinding(binding));
  }

  /** Reads and resets the counter; null when it is zero (EAGAIN). */
  read(): number | null {
    const result = this.binding.eventfdRead(this.fd);
    if (result === EAGAIN) return null;
    return ErrnoError.check(result, 'read');
  }

  /** Adds `value` (default 1) to the counter, waking any watcher. */
  write(value = 1): void {
    assertInteger(value, 'value', 1, MAX_WRITE);
    ErrnoError.check(this.binding.eventfdWrite(this.fd, value), 'write', {
      hint: 'the eventfd counter is full; read it first',
    });
  }
}
