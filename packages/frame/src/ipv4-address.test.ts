import { describe, expect, it } from 'vitest';
import { formatIpv4, parseIpv4, readIpv4, writeIpv4 } from './ipv4-address.ts';

describe('IPv4 addresses', () => {
  it('parses and formats dotted quads as unsigned 32-bit numbers', () => {
    expect(parseIpv4('192.168.1.2')).toBe(0xc0a80102);
    expect(parseIpv4('255.255.255.255')).toBe(0xffffffff);
    expect(formatIpv4(0xc0a80102)).toBe('192.168.1.2');
  });

  it.each(['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '1.2.3.x', ' 1.2.3.4'])('returns undefined for %j', (text) => {
    expect(parseIpv4(text)).toBeUndefined();
  });

  it('reads and writes big-endian at an offset', () => {
    const bytes = new Uint8Array(6);
    writeIpv4(bytes, 2, 0x0a000001);
    expect([...bytes]).toEqual([0, 0, 10, 0, 0, 1]);
    expect(readIpv4(bytes, 2)).toBe(0x0a000001);
  });
});
