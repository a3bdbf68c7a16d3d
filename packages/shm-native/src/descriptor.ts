import { assertFd } from './assert-argument.ts';
import { resolveBinding } from './default-binding.ts';
import { ErrnoError } from './errno-error.ts';
import type { NativeBinding } from './native.ts';

/** close(2) a raw descriptor, e.g. one received with a message that should carry none. */
export function closeFd(fd: number, binding?: NativeBinding): void {
  assertFd(fd);
  ErrnoError.check(resolveBinding(binding).close(fd), 'close');
}

/** Duplicates `fd` (F_DUPFD_CLOEXEC); the copy is independent and must be closed too. */
export function dupFd(fd: number, binding?: NativeBinding): number {
  assertFd(fd);
  return ErrnoError.check(resolveBinding(binding).dup(fd), 'dup');
}
