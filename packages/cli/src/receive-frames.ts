import { ReceiveBatch, type MemifInterface } from '@memif/memif';
import { sleep } from './sleep.ts';

/** A readable event may be missed across a reconnect; this bounds the wait before looking again. */
const IDLE_RECHECK_MS = 50;

function nextReadable(iface: MemifInterface, queue: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const inner = new AbortController();
    const done = (): void => {
      iface.off('readable', onReadable);
      iface.off('close', done);
      signal.removeEventListener('abort', done);
      inner.abort();
      resolve();
    };
    const onReadable = (q: number): void => {
      if (q === queue || q === -1) done();
    };
    iface.on('readable', onReadable);
    iface.once('close', done);
    signal.addEventListener('abort', done);
    void sleep(IDLE_RECHECK_MS, inner.signal).then(done);
  });
}

/**
 * Hands every frame received on `queue` to `onFrame` as a view into shared memory, valid only
 * during the call, until `signal` aborts or the interface closes. Yields to the event loop after
 * each burst so timers and signals keep working under a flood.
 */
export async function receiveFrames(
  iface: MemifInterface,
  onFrame: (frame: Uint8Array) => void,
  signal: AbortSignal,
  queue = 0,
): Promise<void> {
  const batch = new ReceiveBatch(64);
  while (!signal.aborted && iface.state !== 'closed') {
    const count = iface.rxBurst(queue, batch);
    if (count === 0) {
      await nextReadable(iface, queue, signal);
      continue;
    }
    try {
      for (let i = 0; i < count && !signal.aborted; i++) onFrame(batch.frameView(i));
    } finally {
      iface.rxRelease(queue);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}
