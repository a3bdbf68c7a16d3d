/** Anything with Node's `ref()`/`unref()` pair: timers, immediates, sockets, fd watchers. */
export interface RefHandle {
  ref(): unknown;
  unref(): unknown;
}

/** Makes `handle` keep the event loop alive (`ref()`) or not (`unref()`); no-op without a handle. */
export function keepAlive(handle: RefHandle | null | undefined, refed: boolean): void {
  if (handle === null || handle === undefined) return;
  if (refed) handle.ref();
  else handle.unref();
}
