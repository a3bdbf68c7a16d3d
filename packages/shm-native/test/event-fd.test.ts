import { describe, expect, it } from 'vitest';
import { EventFd, InvalidArgumentError, ResourceClosedError } from '../src/index.ts';

describe('EventFd', () => {
  it('reads null when empty, and the summed counter after writes', () => {
    const events = EventFd.create();
    try {
      expect(events.read()).toBeNull();
      events.write();
      events.write(41);
      expect(events.read()).toBe(42);
      expect(events.read()).toBeNull();
    } finally {
      events.close();
    }
    expect(events.closed).toBe(true);
    events.close();
  });

  it('counts down by one in semaphore mode', () => {
    const events = EventFd.create({ initialValue: 2, semaphore: true });
    try {
      expect([events.read(), events.read(), events.read()]).toEqual([1, 1, null]);
    } finally {
      events.close();
    }
  });

  it('rejects bad values before the syscall', () => {
    const events = EventFd.create();
    try {
      expect(() => events.write(0)).toThrow(InvalidArgumentError);
      expect(() => events.write(1.5)).toThrow(InvalidArgumentError);
    } finally {
      events.close();
    }
    expect(() => events.fd).toThrow(ResourceClosedError);
  });
});
