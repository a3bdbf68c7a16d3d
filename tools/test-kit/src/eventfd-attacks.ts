import { native } from './workspace.ts';

/**
 * What a peer can do to an eventfd it shares with us (one open file description): clear
 * O_NONBLOCK on it, so that a read on an empty counter or a write to a full one blocks whoever
 * makes it, us included.
 */
export function makeBlocking(eventfd: { readonly fd: number }): void {
  const binding = native.loadNative();
  const flags = binding.fcntlGetFl(eventfd.fd);
  if (flags < 0 || binding.fcntlSetFl(eventfd.fd, flags & ~binding.constants.O_NONBLOCK) < 0) {
    throw new Error(`cannot clear O_NONBLOCK on fd ${eventfd.fd}`);
  }
}

/**
 * Loads the counter to its maximum, 2^64 − 2, from empty (reads it first): a write(2) of 1 then
 * blocks, or fails with EAGAIN if the file is non-blocking. Only exact numbers are written:
 * 2048 × (2^53 − 1) + 2046.
 */
export function fillCounter(eventfd: { readonly fd: number }): void {
  const binding = native.loadNative();
  const flags = binding.fcntlGetFl(eventfd.fd);
  binding.fcntlSetFl(eventfd.fd, flags | binding.constants.O_NONBLOCK);
  binding.eventfdRead(eventfd.fd);
  for (let i = 0; i < 2048; i++) binding.eventfdWrite(eventfd.fd, Number.MAX_SAFE_INTEGER);
  binding.eventfdWrite(eventfd.fd, 2046);
  binding.fcntlSetFl(eventfd.fd, flags);
}
