import { describe, expect, it } from 'vitest';
import { loadNative } from '../src/index.ts';

// The addon is the last line of defence against a number that is not the integer it stands
// for: NaN would become fd 0 (stdin), 2^32 would wrap to 0, 1.5 to 1.
describe('native argument checks', () => {
  const binding = loadNative();

  it.each([Number.NaN, 1.5, -0.5, 2 ** 32, -(2 ** 31) - 1, Number.POSITIVE_INFINITY])(
    'close(%s) throws a TypeError instead of closing some fd',
    (fd) => {
      expect(() => binding.close(fd)).toThrow(TypeError);
      expect(() => binding.dup(fd)).toThrow(/argument 0 must be an integer/);
      expect(() => binding.fcntlGetSeals(fd)).toThrow(TypeError);
    },
  );

  it('refuses lengths and counter values that are not safe integers', () => {
    const memfd = binding.memfdCreate('argument-checks', binding.constants.MFD_CLOEXEC);
    try {
      expect(() => binding.ftruncate(memfd, Number.NaN)).toThrow(/must be a safe integer/);
      expect(() => binding.mmap(memfd, 4096.5, 0)).toThrow(TypeError);
      expect(() => binding.mmap(memfd, 4096, 2 ** 60)).toThrow(TypeError);
      expect(() => binding.eventfdWrite(memfd, Number.NaN)).toThrow(TypeError);
      expect(() => binding.epollCtl(memfd, Number.NaN, memfd, 1)).toThrow(TypeError);
      expect(() => binding.ioUringEnter(Number.NaN, 1, 0, 0)).toThrow(TypeError);
      expect(() => binding.mallocRetainFreed(Number.NaN, 0)).toThrow(TypeError);
      expect(() => binding.mallocRetainFreed(0, 2 ** 40)).toThrow(TypeError);
    } finally {
      binding.close(memfd);
    }
  });

  it('still accepts the integers that are meant, negative ones included', () => {
    expect(binding.close(-1)).toBeLessThan(0); // EBADF, not a TypeError
    expect(binding.fcntlGetFl(0x7fffffff)).toBeLessThan(0);
  });
});
