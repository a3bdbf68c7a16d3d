import { describe, expect, it } from 'vitest';
import { EdgeWatcher, EventFd, InvalidArgumentError } from '../src/index.ts';

function nextTurns(ms = 20): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('EdgeWatcher', () => {
  it('drains before calling back (default): one call per burst of signals, the counter untouched', async () => {
    const events = EventFd.create();
    let calls = 0;
    const watcher = new EdgeWatcher(events.fd, (error) => {
      expect(error).toBeNull();
      calls++;
    });
    try {
      watcher.start();
      events.write(1);
      events.write(1);
      await nextTurns();
      expect(calls).toBe(1);
      events.write(1);
      await nextTurns();
      expect(calls).toBe(2);
      expect(events.read()).toBe(3);
    } finally {
      watcher.close();
      events.close();
    }
  });

  it("with drain: 'caller', calls back first and again until the caller drains", async () => {
    const events = EventFd.create();
    let calls = 0;
    let drainFrom = 3;
    const watcher = new EdgeWatcher(
      events.fd,
      () => {
        // The first calls leave the event in the set: the loop reports it again at once.
        if (++calls >= drainFrom) expect(watcher.drain()).toBeNull();
      },
      undefined,
      { drain: 'caller' },
    );
    try {
      watcher.start();
      events.write(1);
      await nextTurns();
      expect(calls).toBe(3);
      drainFrom = 0;
      events.write(1);
      await nextTurns();
      expect(calls).toBe(4);
      expect(events.read()).toBe(2);
    } finally {
      watcher.close();
      events.close();
    }
    expect(watcher.drain()).toBeNull();
  });

  it('refuses an unknown drain option, naming the choices', () => {
    const events = EventFd.create();
    try {
      expect(() => new EdgeWatcher(events.fd, () => {}, undefined, { drain: 'never' as never })).toThrow(InvalidArgumentError);
      expect(() => new EdgeWatcher(events.fd, () => {}, undefined, { drain: 'never' as never })).toThrow(
        /drain must be 'before-callback' or 'caller', got "never"/,
      );
    } finally {
      events.close();
    }
  });
});
