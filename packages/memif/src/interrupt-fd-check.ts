import { constants, readFileSync } from 'node:fs';

/**
 * Checks an interrupt fd received in ADD_RING before we watch and signal it: refuses anything
 * but a plain non-blocking eventfd, as every real peer sends. This is an early, clear refusal,
 * not the defence: the peer shares the file and can change its flags at any time after this
 * check, so the queues never read it and signal it without write(2) (see RxQueue, TxQueue).
 * Returns why the fd is refused, or undefined (also when procfs is unavailable).
 */
export function refuseInterruptFd(fd: number): string | undefined {
  let info: string;
  try {
    info = readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8');
  } catch {
    return undefined;
  }
  if (!/^eventfd-count:/m.test(info)) return 'Interrupt fd is not an eventfd';
  const flags = /^flags:\s+([0-7]+)/m.exec(info)?.[1];
  if (flags !== undefined && (Number.parseInt(flags, 8) & constants.O_NONBLOCK) === 0) {
    return 'Interrupt fd is not non-blocking';
  }
  if (/^eventfd-semaphore:\s*1/m.test(info)) return 'Interrupt fd is a semaphore eventfd';
  return undefined;
}
