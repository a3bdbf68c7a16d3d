import { setTimeout as delay } from 'node:timers/promises';
import type { MemifInterface } from '@memif/memif';

/**
 * Waits until the peer has taken every frame we put on tx queue 0, or `timeoutMs` passes, so that
 * closing right after a burst does not drop frames the peer has not polled yet. On a client the
 * ring is drained when tail catches up with head; on a server, when the client has posted all
 * slots again.
 */
export async function waitForTxDrain(iface: MemifInterface, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  const direction = iface.config.role === 'master' ? 'm2s' : 's2m';
  for (;;) {
    const ring = iface.details().rings.find((r) => r.direction === direction && r.index === 0);
    if (ring === undefined) return false;
    const filled = (ring.head - ring.tail) & 0xffff;
    const drained = direction === 's2m' ? filled === 0 : filled >= ring.ringSize;
    if (drained) return true;
    if (performance.now() >= deadline) return false;
    await delay(2);
  }
}
