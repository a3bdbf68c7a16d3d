import { constants, readFileSync } from 'node:fs';

/**
 * Checks an interrupt fd received in ADD_RING before we watch and write it. A peer that sends a
 * blocking eventfd and fills its counter would make our next signal block the whole process; any
 * other kind of fd makes reads fail or spin. Returns why the fd is refused, or undefined when it
 * is a non-blocking eventfd (or procfs is unavailable, so nothing can be told).
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
  return undefined;
}
