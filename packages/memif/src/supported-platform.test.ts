import type { NativeBinding } from '@memif/shm-native';
import { afterEach, describe, expect, it } from 'vitest';
import { createInterface, MemifError } from './index.ts';
import { assertSupportedPlatform } from './supported-platform.ts';

describe('off Linux', () => {
  const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
  afterEach(() => {
    Object.defineProperty(process, 'platform', platform);
  });

  it('createInterface throws ERR_MEMIF_UNSUPPORTED_PLATFORM naming the OS', () => {
    Object.defineProperty(process, 'platform', { ...platform, value: 'darwin' });
    let caught: unknown;
    try {
      createInterface({ role: 'slave', socket: `/tmp/unsupported-platform-${process.pid}.sock`, socketAbstract: false });
    } catch (error) {
      caught = error;
    }
    expect(MemifError.isInstance(caught)).toBe(true);
    expect(caught).toMatchObject({ code: 'ERR_MEMIF_UNSUPPORTED_PLATFORM' });
    expect((caught as Error).message).toMatch(/need Linux .*this is darwin/);
  });

  it('lets code with an injected binding run, as unit tests on a laptop do', () => {
    expect(() => assertSupportedPlatform({} as NativeBinding, 'darwin')).not.toThrow();
    expect(() => assertSupportedPlatform(undefined, 'linux')).not.toThrow();
    expect(() => assertSupportedPlatform(undefined, 'win32')).toThrow(/this is win32/);
  });
});
