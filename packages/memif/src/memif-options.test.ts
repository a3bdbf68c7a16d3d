import { describe, expect, it } from 'vitest';
import { resolveMemifOptions } from './memif-options.ts';

describe('the hardening options', () => {
  it("default to DPDK's behaviour, except that only a peer of our own uid may give us unsealed regions", () => {
    expect(resolveMemifOptions({ role: 'master' })).toMatchObject({
      replaceStaleSocket: false,
      requireSealedRegions: false,
      unsealedRegions: 'same-uid',
      allowedUids: undefined,
      allowedGids: undefined,
    });
  });

  it('take id lists and flags', () => {
    const config = resolveMemifOptions({
      role: 'master',
      replaceStaleSocket: true,
      requireSealedRegions: true,
      allowedUids: [0, 1000],
      allowedGids: [0],
    });
    expect(config).toMatchObject({ replaceStaleSocket: true, requireSealedRegions: true, allowedUids: [0, 1000], allowedGids: [0] });
    expect(resolveMemifOptions({ role: 'slave', allowedUids: [5] }).allowedUids).toEqual([5]);
    expect(config.unsealedRegions).toBe('refuse');
    expect(resolveMemifOptions({ role: 'master', unsealedRegions: 'accept' })).toMatchObject({
      unsealedRegions: 'accept',
      requireSealedRegions: false,
    });
    expect(resolveMemifOptions({ role: 'master', unsealedRegions: 'refuse' }).requireSealedRegions).toBe(true);
  });

  it.each([
    [{ allowedUids: 5 }, /allowedUids: must be an array of integer ids/],
    [{ allowedGids: [-1] }, /allowedGids: must be an array of integer ids/],
    [{ allowedUids: [1.5] }, /allowedUids/],
    [{ role: 'master', replaceStaleSocket: 'yes' }, /replaceStaleSocket: must be true or false/],
    [{ role: 'slave', replaceStaleSocket: true }, /replaceStaleSocket: applies only to a master/],
    [{ role: 'slave', requireSealedRegions: true }, /requireSealedRegions: applies only to a master/],
    [{ role: 'slave', unsealedRegions: 'refuse' }, /unsealedRegions: applies only to a master/],
    [{ role: 'master', unsealedRegions: 'never' }, /unsealedRegions: must be one of refuse, same-uid, accept, got "never"/],
    [{ role: 'master', requireSealedRegions: true, unsealedRegions: 'accept' }, /unsealedRegions: contradicts requireSealedRegions/],
  ])('refuse %j', (options, message) => {
    expect(() => resolveMemifOptions(options as never)).toThrow(message);
  });
});

describe('the receive mode', () => {
  it('defaults to interrupt, and adaptive mode to 200 µs of polling after the last frame', () => {
    expect(resolveMemifOptions({})).toMatchObject({ rxMode: 'interrupt', adaptiveIdleMicroseconds: 200 });
    expect(resolveMemifOptions({ rxMode: 'adaptive', adaptiveIdleMicroseconds: 5000 })).toMatchObject({
      rxMode: 'adaptive',
      adaptiveIdleMicroseconds: 5000,
    });
    expect(resolveMemifOptions({ rxMode: 'polling' }).rxMode).toBe('polling');
  });

  it.each([
    [{ rxMode: 'spin' }, /rxMode: must be one of interrupt, polling, adaptive, got "spin"/],
    [{ rxMode: 'adaptive', adaptiveIdleMicroseconds: 0 }, /adaptiveIdleMicroseconds: must be an integer from 1 to 1000000, got 0/],
    [{ rxMode: 'adaptive', adaptiveIdleMicroseconds: 2_000_000 }, /adaptiveIdleMicroseconds: must be an integer from 1 to 1000000/],
    [{ rxMode: 'adaptive', adaptiveIdleMicroseconds: 2.5 }, /adaptiveIdleMicroseconds: must be an integer/],
    [{ rxMode: 'adaptive', adaptiveIdleMicroseconds: '200' }, /adaptiveIdleMicroseconds: must be an integer from 1 to 1000000, got "200"/],
    [{ adaptiveIdleMicroseconds: 200 }, /adaptiveIdleMicroseconds: applies only with rxMode: 'adaptive', got rxMode "interrupt"/],
    [
      { rxMode: 'polling', adaptiveIdleMicroseconds: 200 },
      /adaptiveIdleMicroseconds: applies only with rxMode: 'adaptive', got rxMode "polling"/,
    ],
  ])('refuses %j', (options, message) => {
    expect(() => resolveMemifOptions(options as never)).toThrow(message);
  });
});

describe('the segment limit of a slave (fillWholeBuffers)', () => {
  it('is on by default and can be lifted by a slave only', () => {
    expect(resolveMemifOptions({}).fillWholeBuffers).toBe(false);
    expect(resolveMemifOptions({ fillWholeBuffers: true }).fillWholeBuffers).toBe(true);
    expect(() => resolveMemifOptions({ role: 'master', fillWholeBuffers: true })).toThrow(/fillWholeBuffers: is for slaves only/);
    expect(() => resolveMemifOptions({ fillWholeBuffers: 1 } as never)).toThrow(/fillWholeBuffers: must be true or false/);
  });
});
