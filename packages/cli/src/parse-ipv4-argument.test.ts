import { formatIpv4 } from '@memif/frame';
import { describe, expect, it } from 'vitest';
import { parseIpv4CidrArgument } from './parse-ipv4-argument.ts';
import { UsageError } from './usage-error.ts';

describe('parseIpv4Cidr', () => {
  it('reads an address with its prefix length', () => {
    const { address, prefixLength } = parseIpv4CidrArgument('192.168.1.1/24', '--ip');
    expect([formatIpv4(address), prefixLength]).toEqual(['192.168.1.1', 24]);
    expect(parseIpv4CidrArgument('10.0.0.1/0', '--ip').prefixLength).toBe(0);
    expect(parseIpv4CidrArgument('10.0.0.1/32', '--ip').prefixLength).toBe(32);
  });

  it.each(['192.168.1.1', '192.168.1.1/', '192.168.1.1/33', '192.168.1.1/24/8', '192.168.1.1/x'])(
    'refuses %s, naming the flag and the form',
    (text) => {
      expect(() => parseIpv4CidrArgument(text, '--ip')).toThrow(UsageError);
      expect(() => parseIpv4CidrArgument(text, '--ip')).toThrow(`--ip: '${text}' needs a prefix length from 0 to 32 (e.g. 192.168.1.1/24)`);
    },
  );
});
