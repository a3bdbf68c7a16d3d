import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { prebuildPath } from '../scripts/prebuild-targets.mjs';
import { loadNative, NATIVE_PATH_ENV, NativeLoadError, ShmNativeError } from '../src/index.ts';
import { catchError } from './helpers.ts';

const packageRoot = dirname(dirname(fileURLToPath(import.meta.url)));

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
    expect((error as Error).message).toContain('apt-get install g++ make python3');
    expect((error as Error).message).toContain('npm rebuild @memif/shm-native');
  });

  it('tries the prebuild and then build/Release under the package root', () => {
    const root = mkdtempSync(join(tmpdir(), 'shm-native-root-'));
    try {
      const error = catchError(() => loadNative({ packageRoot: root }));
      expect((error as NativeLoadError).tried).toEqual([
        `${join(root, 'prebuilds', `linux-${process.arch}`, 'node.napi.glibc.node')} (not found)`,
        `${join(root, 'build', 'Release', 'shm_native.node')} (not found)`,
      ]);
    } finally {
      rmSync(root, { recursive: true });
    }
  });

  it('loads a prebuild tagged with this libc and never one tagged with another', () => {
    const withBoth = mkdtempSync(join(tmpdir(), 'shm-native-root-'));
    const muslOnly = mkdtempSync(join(tmpdir(), 'shm-native-root-'));
    try {
      const arch = `linux-${process.arch}`;
      for (const root of [withBoth, muslOnly]) {
        mkdirSync(join(root, 'prebuilds', arch), { recursive: true });
        writeFileSync(join(root, 'prebuilds', arch, 'node.napi.musl.node'), 'not an addon');
      }
      copyFileSync(prebuildPath(packageRoot, process.arch), join(withBoth, 'prebuilds', arch, 'node.napi.glibc.node'));
      expect(typeof loadNative({ packageRoot: withBoth }).eventfd).toBe('function');
      const error = catchError(() => loadNative({ packageRoot: muslOnly }));
      expect((error as NativeLoadError).tried).toEqual([
        `${join(muslOnly, 'prebuilds', arch, 'node.napi.glibc.node')} (not found)`,
        `${join(muslOnly, 'build', 'Release', 'shm_native.node')} (not found)`,
      ]);
    } finally {
      rmSync(withBoth, { recursive: true });
      rmSync(muslOnly, { recursive: true });
    }
  });

  it('says off Linux that memif needs Linux', () => {
    const error = new NativeLoadError(['x (not found)'], { platform: 'darwin-arm64', libc: undefined });
    expect(error.message).toContain('memif needs Linux');
    expect(error.message).toContain('this is darwin-arm64');
  });

  it('tells musl users to build from source and what to install', () => {
    const error = new NativeLoadError(['x (not found)'], { platform: 'linux-x64', libc: 'musl' });
    expect(error.message).toContain('No prebuild is published for linux-x64 with musl');
    expect(error.message).toContain('apk add g++ make python3 linux-headers');
  });

  it('reports a file that is not an addon with its loader error', () => {
    const error = catchError(() => loadNative({ path: import.meta.filename }));
    expect((error as NativeLoadError).tried[0]).toContain(import.meta.filename);
  });
});
