import { describe, expect, it } from 'vitest';
import { connectTimeoutMs, interfaceOptionsFromFlags } from './interface-flags.ts';
import { UsageError } from './usage-error.ts';

describe('interfaceOptionsFromFlags', () => {
  it('parses a --vdev string as DPDK does', () => {
    expect(interfaceOptionsFromFlags({ vdev: 'net_memif3,role=server,id=2,socket=/tmp/a.sock,socket-abstract=no,rsize=12' })).toEqual({
      name: 'net_memif3',
      role: 'master',
      id: 2,
      socket: '/tmp/a.sock',
      socketAbstract: false,
      log2RingSize: 12,
    });
  });

  it('applies flags over the --vdev values', () => {
    expect(
      interfaceOptionsFromFlags({ vdev: 'net_memif0,role=server,id=2', id: '5', role: 'client', secret: 's3', bsize: '1024', mode: 'ip' }),
    ).toEqual({
      name: 'net_memif0',
      role: 'slave',
      id: 5,
      secret: 's3',
      bufferSize: 1024,
      mode: 'ip',
    });
  });

  it('names the flag at fault and what is allowed', () => {
    expect(() => interfaceOptionsFromFlags({ rsize: '20' })).toThrow(/^--rsize: .*1 to 14/);
    expect(() => interfaceOptionsFromFlags({ role: 'boss' })).toThrow(/^--role: .*server, client/);
    expect(() => interfaceOptionsFromFlags({ 'socket-abstract': 'maybe' })).toThrow(/^--socket-abstract: .*yes or no/);
    expect(() => interfaceOptionsFromFlags({ vdev: 'net_memif0,colour=red' })).toThrow(/^--vdev: .*Unknown argument 'colour'/);
    expect(() => interfaceOptionsFromFlags({ vdev: 'eth0' })).toThrow(UsageError);
    expect(() => interfaceOptionsFromFlags({ secret: 'a,b' })).toThrow(/may not contain a comma/);
  });

  it('takes --unsealed-regions as the devargs key unsealed-regions', () => {
    expect(interfaceOptionsFromFlags({ role: 'server', 'unsealed-regions': 'refuse' })).toMatchObject({
      role: 'master',
      unsealedRegions: 'refuse',
    });
    expect(interfaceOptionsFromFlags({ vdev: 'net_memif0,role=server,unsealed-regions=accept' }).unsealedRegions).toBe('accept');
    expect(() => interfaceOptionsFromFlags({ 'unsealed-regions': 'never' })).toThrow(/^--unsealed-regions: .*\(refuse, same-uid, accept\)/);
  });

  it('reads --replace-stale-socket as the devargs key and --rxq/--txq as testpmd does', () => {
    expect(interfaceOptionsFromFlags({ role: 'server', 'replace-stale-socket': 'yes', rxq: '2', txq: '3' })).toEqual({
      role: 'master',
      replaceStaleSocket: true,
      rxQueues: 2,
      txQueues: 3,
    });
    expect(interfaceOptionsFromFlags({ vdev: 'net_memif0,role=server,replace-stale-socket=yes' })).toMatchObject({
      replaceStaleSocket: true,
    });
    expect(() => interfaceOptionsFromFlags({ 'replace-stale-socket': 'please' })).toThrow(/^--replace-stale-socket: .*yes or no/);
    expect(() => interfaceOptionsFromFlags({ rxq: '0' })).toThrow(/--rxq must be an integer from 1 to 255, got '0'/);
    expect(() => interfaceOptionsFromFlags({ txq: '256' })).toThrow(/--txq must be an integer from 1 to 255/);
  });

  it('takes --rx-mode adaptive with --adaptive-idle-us as the devargs keys', () => {
    expect(interfaceOptionsFromFlags({ 'rx-mode': 'adaptive', 'adaptive-idle-us': '1000' })).toEqual({
      rxMode: 'adaptive',
      adaptiveIdleMicroseconds: 1000,
    });
    expect(interfaceOptionsFromFlags({ vdev: 'net_memif0,rx-mode=adaptive,adaptive-idle-us=50' })).toMatchObject({
      adaptiveIdleMicroseconds: 50,
    });
    expect(() => interfaceOptionsFromFlags({ 'adaptive-idle-us': 'soon' })).toThrow(
      /^--adaptive-idle-us: .*Invalid adaptive-idle-us: soon \(a decimal integer up to 1000000\)/,
    );
    expect(() => interfaceOptionsFromFlags({ 'rx-mode': 'busy' })).toThrow(/^--rx-mode: .*\(interrupt, polling or adaptive\)/);
  });

  it('reads --connect-timeout in seconds', () => {
    expect(connectTimeoutMs({})).toBe(10_000);
    expect(connectTimeoutMs({ 'connect-timeout': '2.5' })).toBe(2500);
    expect(() => connectTimeoutMs({ 'connect-timeout': 'soon' })).toThrow(/--connect-timeout must be a number/);
  });
});
