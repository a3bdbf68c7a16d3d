import { afterEach } from 'vitest';

/**
 * A list to push cleanups onto (kill a process, stop testpmd, remove a file); after each test they
 * run in reverse order, so what started last stops first.
 */
export function cleanupsAfterEach(): Array<() => Promise<unknown> | unknown> {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return cleanups;
}
