import { setTimeout as delay } from 'node:timers/promises';
import { type MemifInterface, ReceiveBatch } from '@memif/memif';
import { ignoreAbort } from './ignore-abort.ts';

/** A readable event may be missed across a reconnect; this bounds the wait before looking again. */
const IDLE_RECHECK_MS = 50;

function nextReadable(iface: MemifInterface, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const inner = new AbortController();
    const done = (): void => {
      iface.off('readable', done);
      iface.off('close', done);
      signal.removeEventListener('abort', done);
      inner.abort();
      resolve();
    };
    iface.on('readable', done);
    iface.once('close', done);
    signal.addEventListener('abort', done);
    void delay(IDLE_RECHECK_MS, undefined, { signal: inner.signal }).then(done, ignoreAbort);
  });
}

/**
 * Hands every frame received on any rx queue to `onFrame` as a view into shared memory, valid
 * only during the call, until `signal` aborts or the interface closes. Yields to the event loop
 * after each round of bursts so timers and signals keep working under a flood.
 */
export async function receiveFrames(iface: MemifInterface, onFrame: (frame: Uint8Array) => void, signal: AbortSignal): Promise<void> {
  const batch = new ReceiveBatch(64);
  while (!signal.aborted && iface.state !== 'closed') {
    let received = 0;
    for (let queue = 0; queue < iface.rxQueueCount && !signal.aborted; queue++) {
      const count = iface.rxBurst(queue, batch);
      if (count === 0) continue;
      received += count;
      try {
        for (let i = 0; i < count && !signal.aborted; i++) onFrame(batch.frameView(i));
      } finally {
        iface.rxRelease(queue);
      }
    }
    if (received === 0) await nextReadable(iface, signal);
    else await new Promise((resolve) => setImmediate(resolve));
  }
}
