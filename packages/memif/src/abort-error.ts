/**
 * What an aborted `send()`, `frames()` or `bursts()` rejects with: the shape of Node's own
 * `AbortError` (`name` 'AbortError', `code` 'ABORT_ERR', the signal's reason as `cause`), as
 * `events.once`, `stream.pipeline` and `timers/promises` reject, so one `error.name ===
 * 'AbortError'` check covers them all.
 */
export class AbortError extends Error {
  readonly code = 'ABORT_ERR';

  constructor(message = 'The operation was aborted', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AbortError';
  }

  /** The error for `signal`, carrying its reason. */
  static from(signal: AbortSignal): AbortError {
    return new AbortError('The operation was aborted', { cause: signal.reason });
  }
}
