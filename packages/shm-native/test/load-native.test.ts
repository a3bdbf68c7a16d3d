import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadNative, NATIVE_PATH_ENV, NativeLoadError, ShmNativeError } from '../src/index.ts';
import { catchError } from './helpers.ts';

describe('loadNative', () => {
  const saved = process.env[NATIVE_PATH_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[NATIVE_PATH_ENV];
    else process.env[NATIVE_PATH_ENV] = saved;
  });

  it('loads the built addon with every syscall the typed API needs', () => {
    const binding = loadNative();
    expect(typeof binding.memfdCreate).toBe('function');
    expect(typeof binding.Poll).toBe('function');
    expect(binding.constants.PAGE_SIZE).toBeGreaterThan(0);
    expect(loadNative()).toBe(binding);
  });

  it('lists the path it tried when the env var points at a missing file', () => {
    const missing = join(tmpdir(), 'no-such-dir', 'missing.node');
    process.env[NATIVE_PATH_ENV] = missing;
    const error = catchError(() => loadNative());
    expect(error).toBeInstanceOf(NativeLoadError);
    expect(ShmNativeError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'ERR_SHM_NATIVE_LOAD', tried: [`${missing} (not found)`] });
    expect((error as Error).message).toContain(missing);
    expect((error as Error).message).toContain('pnpm --filter @memif/shm-native build:native');
  });

  it('tries the prebuild and then build/Release under the package root', () => {
    const root = mkdtempSync(join(tmpdir(), 'shm-native-root-'));
    try {
      const error = catchError(() => loadNative({ packageRoot: root }));
      expect((error as NativeLoadError).tried).toEqual([
        `${join(root, 'prebuilds', `linux-${process.arch}`, 'node.napi.node')} (not found)`,
        `${join(root, 'build', 'Release', 'shm_native.node')} (not found)`,
      ]);
    } finally {
      rmSync(root, { recursive: true });
    }
  });

  it('reports a file that is not an addon with its loader error', () => {
    const error = catchError(() => loadNative({ path: import.meta.filename }));
    expect((error as NativeLoadError).tried[0]).toContain(import.meta.filename);
  });
});
