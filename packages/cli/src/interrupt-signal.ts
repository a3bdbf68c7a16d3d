/**
 * An AbortSignal that fires on the first SIGINT or SIGTERM, so a command can stop, flush and
 * print its summary instead of dying mid-write. `dispose()` restores the default handling.
 */
export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
