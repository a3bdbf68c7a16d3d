import type { native } from './workspace.ts';

/**
 * Writes `eventfd` in a tight loop for `durationMs`: `writesPerTurn` writes per turn of the event
 * loop (a real tight loop in this process would also starve the victim, which shares it), so the
 * victim sees a readable interrupt fd on every poll. Resolves with the number of writes.
 */
export async function interruptStorm(eventfd: native.EventFd, durationMs: number, writesPerTurn = 1000): Promise<number> {
  const end = Date.now() + durationMs;
  let writes = 0;
  while (Date.now() < end) {
    for (let i = 0; i < writesPerTurn; i++) {
      try {
        eventfd.write(1);
        writes++;
      } catch {
        break;
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return writes;
}
