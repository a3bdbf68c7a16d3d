/**
 * Runs application code (an `emit` to the application's listeners) from inside our own
 * bookkeeping. An exception it throws is the application's bug, not a protocol failure: it is
 * rethrown on its own, outside our call stack, so it surfaces as an uncaught exception (as Node
 * reports any listener exception thrown from an I/O callback) and can neither interrupt our
 * state changes nor be caught by a handler that would tell the peer.
 */
export function callApplication(call: () => unknown): void {
  try {
    call();
  } catch (error) {
    process.nextTick(() => {
      throw error;
    });
  }
}
