import { initializeRegion, MasterReceiver, ReceiveBatch, RegionLayout, RingFlag, RingType, SlaveTransmitter } from '@memif/ring';
import { EventFd } from '@memif/shm-native';
import { afterEach, describe, expect, it } from 'vitest';
import type { MemifRxMode } from './memif-options.ts';
import { RxQueue } from './rx-queue.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/**
 * A master's receive queue over an S2M ring in plain memory, and the slave transmitter that
 * feeds it the way a peer does: publish, then signal the eventfd only while MASK_INT is clear.
 */
function queuePair(rxMode: MemifRxMode, adaptiveIdleMicroseconds?: number, onWake: () => void = () => {}) {
  const layout = new RegionLayout({ numS2mRings: 1, numM2sRings: 1, log2RingSize: 6, bufferSize: 128, bufferPlacement: 'region0' });
  const regions = layout.regionSizes.map((size) => new Uint8Array(new ArrayBuffer(size)));
  const ring = initializeRegion(layout, regions).s2m[0]!;
  ring.resetIndices(0);
  const peer = new SlaveTransmitter({ ring, regions, buffers: layout.slotBuffers(RingType.S2M, 0) });
  const interrupt = EventFd.create();
  const wakeUps: Array<{ masked: boolean; polling: boolean }> = [];
  let queue: RxQueue | undefined;
  queue = new RxQueue({
    index: 0,
    ring,
    receiver: new MasterReceiver({ ring, regions }),
    interrupt,
    onReadable: () => {
      wakeUps.push({ masked: masked(), polling: queue?.polling ?? false });
      onWake();
    },
    ...(adaptiveIdleMicroseconds === undefined ? {} : { adaptiveIdleMicroseconds }),
  });
  cleanups.push(() => {
    queue.close();
    interrupt.close();
  });
  queue.setMode(rxMode);
  const frame = new Uint8Array(64).fill(7);
  const signals = { given: 0, withheld: 0 };
  function masked(): boolean {
    return (ring.loadFlags() & RingFlag.MaskInt) !== 0;
  }
  return {
    queue,
    wakeUps,
    signals,
    masked,
    /** The peer publishes one frame and gives no signal, whatever MASK_INT says. */
    publishOnly(): number {
      return peer.transmit([frame], 1);
    },
    /** The peer publishes `count` frames and signals if we asked for signals. */
    send(count = 1): void {
      for (let i = 0; i < count; i++) expect(peer.transmit([frame], 1)).toBe(1);
      if (peer.shouldNotify()) {
        interrupt.write(1);
        signals.given++;
      } else signals.withheld++;
    },
    /** What the application does on 'readable': take every frame and give the slots back. */
    drain(): number {
      const batch = new ReceiveBatch(64);
      const got = queue.receive(batch);
      queue.release();
      return got;
    },
  };
}

/** Lets the look of the turn after arming interrupts pass, so that every wake-up comes from a signal. */
async function armed(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 5));
}

async function until(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

describe('RxQueue receive modes', () => {
  it('interrupt: each signal wakes the application, MASK_INT stays clear', async () => {
    const pair = queuePair('interrupt');
    expect(pair.masked()).toBe(false);
    await armed();
    pair.send(3);
    await until(() => pair.wakeUps.length === 1, 'the wake-up');
    expect(pair.drain()).toBe(3);
    pair.send(2);
    await until(() => pair.wakeUps.length === 2, 'the second wake-up');
    expect(pair.queue.interrupts).toBe(2);
    expect(pair.signals).toEqual({ given: 2, withheld: 0 });
    expect(pair.wakeUps.every((w) => !w.masked && !w.polling)).toBe(true);
  });

  it('interrupt: a frame signalled while the application handles a wake-up is not lost to the drain after it', async () => {
    let sendDuringWake = true;
    const pair = queuePair('interrupt', undefined, () => {
      if (sendDuringWake) {
        sendDuringWake = false;
        // The peer publishes and signals before we drain the epoll set: that signal is drained
        // unseen with the first, so only the look after the drain can find this frame.
        pair.send(1);
      }
    });
    await armed();
    pair.send(1);
    await until(() => pair.wakeUps.length === 2, 'the second wake-up');
    expect(pair.drain()).toBe(2);
    expect(pair.queue.interrupts).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pair.wakeUps.length).toBe(2);
  });

  it('interrupt: a frame published without a signal just after the mask was cleared is found a turn later', async () => {
    const pair = queuePair('interrupt');
    // A peer that read MASK_INT before our clear was visible to it withholds the signal, and its
    // index reaches us only after our look at the ring (its store was still in its store buffer).
    expect(pair.publishOnly()).toBe(1);
    await until(() => pair.wakeUps.length === 1, 'the wake-up from the second look');
    expect(pair.queue.interrupts).toBe(0);
    expect(pair.drain()).toBe(1);
    // The second look happens once: signals wake the application from here on, one wake each.
    pair.send(1);
    await until(() => pair.wakeUps.length === 2, 'the signalled wake-up');
    expect(pair.drain()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pair.wakeUps.length).toBe(2);
    expect(pair.queue.interrupts).toBe(1);
  });

  it('adaptive: polls with MASK_INT set after traffic, asks for interrupts again when idle, and repeats', async () => {
    // Long enough that the steps of a round fit in it on a loaded machine.
    const pair = queuePair('adaptive', 100_000);
    expect(pair.masked()).toBe(false);
    for (let round = 0; round < 3; round++) {
      const before = pair.wakeUps.length;
      pair.send(4);
      await until(() => pair.wakeUps.length > before, `round ${round}: the wake-up`);
      // The interrupt switched the queue to polling before the application heard of the frames.
      expect(pair.wakeUps[before]).toEqual({ masked: true, polling: true });
      expect(pair.drain()).toBe(4);
      // The peer now sees MASK_INT and stops signalling; polling still finds its frames.
      const mark = pair.wakeUps.length;
      pair.send(2);
      await until(() => pair.wakeUps.length > mark, `round ${round}: frames found by polling`);
      expect(pair.drain()).toBe(2);
      await until(() => !pair.queue.polling, `round ${round}: the fall-back to interrupts`);
      expect(pair.masked()).toBe(false);
      expect(pair.queue.fallbacks).toBe(round + 1);
      // Idle: no more wake-ups while nothing arrives.
      const idle = pair.wakeUps.length;
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(pair.wakeUps.length).toBe(idle);
    }
    expect(pair.signals).toEqual({ given: 3, withheld: 3 });
    expect(pair.queue.interrupts).toBe(3);
  });

  it('adaptive: frames the application leaves unread do not keep it polling', async () => {
    const pair = queuePair('adaptive', 1000);
    pair.send(5);
    await until(() => pair.wakeUps.length > 0, 'the wake-up');
    expect(pair.wakeUps[0]).toEqual({ masked: true, polling: true });
    await until(() => pair.queue.fallbacks === 1, 'the fall-back although frames wait');
    expect(pair.masked()).toBe(false);
    expect(pair.queue.pending()).toBe(5);
    // They are still there for the application, and new ones still wake it.
    const before = pair.wakeUps.length;
    pair.send(1);
    await until(() => pair.wakeUps.length > before, 'the wake-up for a new frame');
    expect(pair.drain()).toBe(6);
  });

  it('adaptive: timers and immediates run while the queue polls', async () => {
    const pair = queuePair('adaptive', 1_000_000);
    pair.send(1);
    await until(() => pair.queue.polling, 'polling');
    pair.drain();
    const timerFired = await new Promise<{ polling: boolean }>((resolve) => setTimeout(() => resolve({ polling: pair.queue.polling }), 5));
    expect(timerFired).toEqual({ polling: true });
    let immediates = 0;
    await new Promise<void>((resolve) => {
      const step = (): void => {
        if (++immediates === 100) resolve();
        else setImmediate(step);
      };
      setImmediate(step);
    });
    expect(pair.queue.polling).toBe(true);
    expect(pair.masked()).toBe(true);
  });

  it('polling: MASK_INT set from the start, the peer never signals, frames are found', async () => {
    const pair = queuePair('polling');
    expect(pair.masked()).toBe(true);
    pair.send(3);
    await until(() => pair.wakeUps.length > 0, 'a poll that finds the frames');
    expect(pair.drain()).toBe(3);
    expect(pair.signals).toEqual({ given: 0, withheld: 1 });
  });

  it('close() stops an adaptive queue that is polling', async () => {
    const pair = queuePair('adaptive', 1_000_000);
    pair.send(1);
    await until(() => pair.queue.polling, 'polling');
    pair.queue.close();
    expect(pair.queue.polling).toBe(false);
    const after = pair.wakeUps.length;
    pair.send(1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(pair.wakeUps.length).toBe(after);
  });
});
