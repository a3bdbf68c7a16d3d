import { describe, expect, it } from 'vitest';
import { formatProbe, formatProbeError } from './inspect-command.ts';

describe('formatProbe', () => {
  it('prints what the master chose (its name, its refusal reason) with control characters escaped', () => {
    const text = formatProbe({
      socket: '/tmp/m.sock',
      abstract: false,
      hello: {
        name: '\x1b]0;pwned\x07DPDK',
        minVersion: 0x200,
        maxVersion: 0x200,
        maxRegion: 0,
        maxM2sRing: 0,
        maxS2mRing: 0,
        maxLog2RingSize: 10,
        versionSupported: true,
      },
      init: { id: 0, mode: 'ethernet', secretGiven: false, accepted: false, reason: '\x1b[2Jgone\r\n' },
    });
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
    expect(text).toContain('name                \\x1b]0;pwned\\x07DPDK\n');
    expect(text).toContain('): \\x1b[2Jgone\\x0d\\x0a\n');
  });

  it('escapes the error it prints on stderr, which may quote the master', () => {
    const text = formatProbeError({ code: 'DISCONNECTED', message: 'the master disconnected before HELLO: \x1b[31mred' });
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
    expect(text).toBe('memif inspect: the master disconnected before HELLO: \\x1b[31mred\n');
  });
});
