import type { Link } from './link.ts';
import { addQueueCounters, createQueueCounters, type QueueCounters } from './queue-counters.ts';

/** An interface's per-queue counters over all its connections: the ended ones plus the live one. */
export class CounterTotals {
  readonly #rx: QueueCounters[] = [];
  readonly #tx: QueueCounters[] = [];

  /** Adds the final counters of `link`, which just went down, with the frames lost with it. */
  add(link: Link): void {
    link.rxQueues.forEach((q, i) => {
      const total = totalOf(this.#rx, i);
      addQueueCounters(total, q.receiver.counters);
      total.lostOnDisconnect += link.lostOnDisconnect.rx[i] ?? 0;
    });
    link.txQueues.forEach((q, i) => {
      const total = totalOf(this.#tx, i);
      addQueueCounters(total, q.transmitter.counters);
      total.lostOnDisconnect += link.lostOnDisconnect.tx[i] ?? 0;
    });
  }

  /** Totals per queue, `live` (the current connection, if any) included. Allocates. */
  with(side: 'rx' | 'tx', live: Link | undefined): QueueCounters[] {
    const totals = side === 'rx' ? this.#rx : this.#tx;
    const queues =
      live === undefined
        ? []
        : side === 'rx'
          ? live.rxQueues.map((q) => q.receiver.counters)
          : live.txQueues.map((q) => q.transmitter.counters);
    const length = Math.max(totals.length, queues.length);
    return Array.from({ length }, (_, i) => {
      const sum = createQueueCounters();
      const total = totals[i];
      const current = queues[i];
      if (total !== undefined) addQueueCounters(sum, total);
      if (current !== undefined) addQueueCounters(sum, current);
      return sum;
    });
  }
}

/** The total of queue `i`, created at zero on first use. */
function totalOf(totals: QueueCounters[], i: number): QueueCounters {
  const total = totals[i] ?? createQueueCounters();
  totals[i] = total;
  return total;
}
