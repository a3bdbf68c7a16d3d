import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ErrnoError,
  ExternalBuffersNotAllowedError,
  InvalidArgumentError,
  loadNative,
  Mapping,
  type NativeBinding,
  ResourceClosedError,
  Seal,
  SharedMemory,
  unlinkPath,
} from '../src/index.ts';
import { catchError, uniqueName } from './helpers.ts';

describe('SharedMemory', () => {
  it('exports seal constants that match the kernel headers', () => {
    const { constants } = loadNative();
    expect(Seal).toEqual({
      Seal: constants.F_SEAL_SEAL,
      Shrink: constants.F_SEAL_SHRINK,
      Grow: constants.F_SEAL_GROW,
      Write: constants.F_SEAL_WRITE,
    });
  });

  it('creates a sealed memfd whose size and seals read back', () => {
    const memory = SharedMemory.createMemfd('sealed', { size: 4_227_328, seals: Seal.Shrink });
    try {
      expect(memory.size()).toBe(4_227_328);
      expect(memory.seals()).toBe(Seal.Shrink);
      memory.addSeals(Seal.Grow | Seal.Seal);
      expect(memory.seals()).toBe(Seal.Shrink | Seal.Grow | Seal.Seal);
    } finally {
      memory.close();
    }
  });

  it('refuses to shrink a memfd sealed against shrinking (EPERM)', () => {
    const memory = SharedMemory.createMemfd('no-shrink', { size: 8192, seals: Seal.Shrink });
    try {
      memory.truncate(16384); // growing is still allowed
      const error = catchError(() => memory.truncate(4096));
      expect(ErrnoError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: 'EPERM', errno: -1, syscall: 'ftruncate' });
      expect(memory.size()).toBe(16384);
    } finally {
      memory.close();
    }
  });

  it('maps a length that is not a page multiple and detaches on unmap', () => {
    const memory = SharedMemory.createMemfd('map', { size: 10_000 });
    const mapping = memory.map();
    memory.close(); // the mapping outlives its fd
    const view = new Uint8Array(mapping.buffer);
    view[9_999] = 42;
    expect(view[9_999]).toBe(42);
    const buffer = mapping.buffer;
    mapping.unmap();
    expect(mapping.mapped).toBe(false);
    expect(buffer.byteLength).toBe(0);
    expect(view.length).toBe(0);
    expect(view[9_999]).toBeUndefined();
    expect(() => new Uint8Array(buffer, 0, 1)).toThrow(TypeError);
    expect(() => mapping.buffer).toThrow(ResourceClosedError);
    mapping.unmap(); // idempotent
  });

  it('maps at a page-aligned offset and rejects unaligned ones before the syscall', () => {
    const memory = SharedMemory.createMemfd('offset', { size: 3 * 4096 });
    try {
      const whole = memory.map();
      const tail = memory.map(4096, 2 * 4096);
      new Uint8Array(whole.buffer)[2 * 4096] = 7;
      expect(new Uint8Array(tail.buffer)[0]).toBe(7);
      whole.unmap();
      tail.unmap();
      expect(() => memory.map(10, 100)).toThrow(InvalidArgumentError);
      expect(() => memory.map(0)).toThrow(InvalidArgumentError);
    } finally {
      memory.close();
    }
  });

  it('reports mmap failures as errno errors', () => {
    const error = catchError(() => Mapping.map(0x7ffffff0, 4096));
    expect(error).toMatchObject({ code: 'EBADF', errno: -9, syscall: 'mmap' });
  });

  it('opens, sizes and unlinks a file-backed region under /dev/shm', () => {
    const path = `/dev/shm/${uniqueName('shm-native')}`;
    const memory = SharedMemory.openFile(path, { size: 65536, exclusive: true, mode: 0o600 });
    try {
      expect(memory.size()).toBe(65536);
      expect(memory.stat().mode & 0o777).toBe(0o600);
      const mapping = memory.map();
      new Uint8Array(mapping.buffer).fill(1);
      mapping.unmap();
      const again = catchError(() => SharedMemory.openFile(path, { exclusive: true }));
      expect(again).toMatchObject({ code: 'EEXIST', syscall: 'open', path });
      expect((again as Error).message).toBe(`open EEXIST ${path}`);
    } finally {
      memory.close();
      unlinkPath(path);
    }
    expect(existsSync(path)).toBe(false);
    unlinkPath(path, { ignoreMissing: true });
    expect(catchError(() => unlinkPath(path))).toMatchObject({ code: 'ENOENT', path });
  });

  it('validates arguments before any syscall', () => {
    expect(() => SharedMemory.createMemfd('x', { size: -1 })).toThrow(InvalidArgumentError);
    expect(() => SharedMemory.fromFd(-1)).toThrow(InvalidArgumentError);
    const error = catchError(() => SharedMemory.fromFd(1.5));
    expect(error).toMatchObject({ code: 'ERR_SHM_NATIVE_INVALID_ARGUMENT' });
  });
});

describe('Mapping with an injected binding', () => {
  it('reports a runtime that refuses external buffers clearly', () => {
    const fake = { constants: { PAGE_SIZE: 4096 }, mmap: () => null } as unknown as NativeBinding;
    const error = catchError(() => Mapping.map(3, 100, { binding: fake }));
    expect(error).toBeInstanceOf(ExternalBuffersNotAllowedError);
    expect(error).toMatchObject({ code: 'ERR_SHM_NATIVE_EXTERNAL_BUFFERS_NOT_ALLOWED' });
  });
});
