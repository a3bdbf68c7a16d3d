import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EdgeWatcher, EventFdSignaller, loadNative, type NativeBinding } from '../src/index.ts';
import { uniqueName } from './helpers.ts';

const binding = loadNative();
const ENOSYS = -38;

/** A blocking eventfd (what a peer can turn ours into) with its counter at the 2^64 − 2 maximum. */
function fullBlockingEventfd(): number {
  const fd = binding.eventfd(0, binding.constants.EFD_CLOEXEC);
  // 2048 × (2^53 − 1) + 2046 = 2^64 − 2, in numbers a double holds exactly.
  for (let i = 0; i < 2048; i++) expect(binding.eventfdWrite(fd, Number.MAX_SAFE_INTEGER)).toBe(0);
  expect(binding.eventfdWrite(fd, 2046)).toBe(0);
  return fd;
}

function eventfdCount(fd: number): bigint {
  const info = readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8');
  return BigInt(`0x${/^eventfd-count:\s*([0-9a-f]+)/m.exec(info)?.[1] ?? '0'}`);
}

/**
 * If the code under test blocks on `fd`, nothing in this process can unblock it: a child
 * holding the same eventfd reads it after a while (ending any blocked write) and leaves a mark.
 */
function watchdog(fd: number): { blocked: () => boolean; stop: () => void } {
  const mark = join(tmpdir(), `${uniqueName('watchdog')}.mark`);
  const child = spawn('sh', ['-c', `sleep 20; head -c 8 <&3 >/dev/null; : > '${mark}'`], {
    stdio: ['ignore', 'ignore', 'ignore', fd],
  });
  return {
    blocked: () => existsSync(mark),
    stop: () => {
      child.kill('SIGKILL');
      rmSync(mark, { force: true });
    },
  };
}

describe('EventFdSignaller', () => {
  it('signals through io_uring: the watcher sees it, the counter goes up by one', async () => {
    const fd = binding.eventfd(0, binding.constants.EFD_CLOEXEC | binding.constants.EFD_NONBLOCK);
    const signaller = new EventFdSignaller(fd);
    let wakeups = 0;
    const watcher = new EdgeWatcher(fd, () => wakeups++);
    try {
      expect(signaller.method).toBe('io_uring');
      watcher.start();
      expect(signaller.signal()).toBe(true);
      expect(signaller.signal()).toBe(true);
      expect(eventfdCount(fd)).toBe(2n);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(wakeups).toBeGreaterThanOrEqual(1);
    } finally {
      watcher.close();
      signaller.close();
      binding.close(fd);
    }
  });

  it('never blocks on an eventfd the peer made blocking and filled', () => {
    const fd = fullBlockingEventfd();
    const guard = watchdog(fd);
    const signaller = new EventFdSignaller(fd);
    try {
      for (let i = 0; i < 3; i++) signaller.signal();
      expect(guard.blocked()).toBe(false);
      expect(eventfdCount(fd)).toBeGreaterThanOrEqual(2n ** 64n - 2n);
    } finally {
      guard.stop();
      signaller.close();
      binding.close(fd);
    }
  });

  it('without io_uring, writes only while the file is non-blocking, and says so', () => {
    const noUring: NativeBinding = Object.create(binding, { ioUringSetup: { value: () => ENOSYS } });
    const fd = binding.eventfd(0, binding.constants.EFD_CLOEXEC | binding.constants.EFD_NONBLOCK);
    const signaller = new EventFdSignaller(fd, noUring);
    try {
      expect(signaller.method).toBe('write');
      expect(signaller.signal()).toBe(true);
      expect(eventfdCount(fd)).toBe(1n);
      binding.fcntlSetFl(fd, 0);
      expect(signaller.signal()).toBe(false);
      expect(eventfdCount(fd)).toBe(1n);
    } finally {
      signaller.close();
      binding.close(fd);
    }
  });
});

describe('EdgeWatcher', () => {
  it('never reads the fd: a peer stealing its signals or loading a blocking semaphore fd stalls nothing', async () => {
    const fd = binding.eventfd(0, binding.constants.EFD_CLOEXEC | binding.constants.EFD_SEMAPHORE);
    const guard = watchdog(fd);
    let wakeups = 0;
    const watcher = new EdgeWatcher(fd, (error) => {
      expect(error).toBeNull();
      wakeups++;
    });
    try {
      watcher.start();
      // The "peer" signals and takes the count back at once: a reader of ours would now block.
      // The stolen signal is the peer's loss (epoll sees an empty counter); nothing of ours waits.
      binding.eventfdWrite(fd, 1);
      binding.eventfdRead(fd);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(wakeups).toBe(0);
      // A semaphore counter loaded to the top keeps nobody busy: one wake-up per signal.
      binding.eventfdWrite(fd, Number.MAX_SAFE_INTEGER);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(wakeups).toBe(1);
      expect(eventfdCount(fd)).toBe(BigInt(Number.MAX_SAFE_INTEGER));
      watcher.stop();
      binding.eventfdWrite(fd, 1);
      watcher.start();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(wakeups).toBe(2);
      expect(guard.blocked()).toBe(false);
    } finally {
      guard.stop();
      watcher.close();
      binding.close(fd);
    }
  });
});
