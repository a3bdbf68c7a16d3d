/**
 * A rejection handler for `node:timers/promises` waits that an interrupt may cut short: the
 * AbortError ends the wait, not the command; anything else still propagates.
 */
export function ignoreAbort(error: unknown): void {
  if (!(error instanceof Error && error.name === 'AbortError')) throw error;
}
