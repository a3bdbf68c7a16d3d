import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { EventFd, type FdWatchEvent, FdWatcher, SeqpacketSocket } from '../src/index.ts';
import { catchError, fdCount } from './helpers.ts';

describe('FdWatcher', () => {
  it('fires exactly when readable and not after stop()', async () => {
    const events = EventFd.create();
    const seen: FdWatchEvent[] = [];
    const watcher = new FdWatcher(events.fd, (event) => {
      seen.push(event);
      events.read(); // drain, so level-triggered polling goes quiet
    });
    try {
      watcher.start();
      await sleep(30);
      expect(seen).toHaveLength(0);
      events.write();
      await sleep(30);
      expect(seen).toEqual([{ readable: true, writable: false, disconnect: false, error: null }]);
      watcher.stop();
      expect(watcher.active).toBe(false);
      events.write();
      await sleep(30);
      expect(seen).toHaveLength(1);
      watcher.start();
      await sleep(30);
      expect(seen).toHaveLength(2);
    } finally {
      watcher.close();
      events.close();
    }
  });

  it('can be closed from inside its own callback', async () => {
    const events = EventFd.create();
    let calls = 0;
    const watcher = new FdWatcher(events.fd, () => {
      calls++;
      watcher.close();
      watcher.close();
    });
    watcher.start();
    events.write(); // never drained: an open watcher would fire again and again
    await sleep(50);
    expect(calls).toBe(1);
    expect(watcher.closed).toBe(true);
    expect(() => watcher.start()).toThrow(/closed/);
    events.close();
  });

  it('drains microtasks queued in the callback before returning to the loop', async () => {
    const events = EventFd.create();
    const order: string[] = [];
    const settled = new Promise<void>((resolve) => {
      const watcher = new FdWatcher(events.fd, () => {
        events.read();
        watcher.close();
        void Promise.resolve().then(() => order.push('microtask'));
        setImmediate(() => {
          order.push('immediate');
          resolve();
        });
      });
      watcher.start();
    });
    events.write();
    await settled;
    expect(order).toEqual(['microtask', 'immediate']);
    events.close();
  });

  it('reports writability and hang-ups', async () => {
    const [a, b] = SeqpacketSocket.pair();
    const writable = await new Promise<FdWatchEvent>((resolve) => {
      const watcher = new FdWatcher(a.fd, (event) => {
        watcher.close();
        resolve(event);
      });
      watcher.start('writable');
    });
    expect(writable.writable).toBe(true);

    const hangup = new Promise<FdWatchEvent>((resolve) => {
      const watcher = new FdWatcher(a.fd, (event) => {
        watcher.close();
        resolve(event);
      });
      watcher.start('readable');
    });
    b.close();
    expect(await hangup).toMatchObject({ readable: true, disconnect: true, error: null });
    a.close();
  });

  it('throws an errno error for descriptors that cannot be polled', () => {
    const before = fdCount();
    expect(catchError(() => new FdWatcher(0x7ffffff0, () => {}))).toMatchObject({
      code: 'EBADF',
      syscall: 'uv_poll_init',
    });
    expect(fdCount()).toBe(before);
  });
});
