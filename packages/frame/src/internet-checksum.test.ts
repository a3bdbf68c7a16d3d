import { describe, expect, it } from 'vitest';
import { internetChecksum, updateChecksum } from './internet-checksum.ts';

describe('internetChecksum', () => {
  it('matches the RFC 1071 worked example', () => {
    // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (with end-around carry).
    const bytes = Uint8Array.from([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]);
    expect(internetChecksum(bytes)).toBe(~0xddf2 & 0xffff);
  });

  it('gives the known checksum of a real IPv4 header', () => {
    // The classic example header (checksum field zeroed); its checksum is 0xb861.
    const header = Uint8Array.from([
      0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
    ]);
    expect(internetChecksum(header)).toBe(0xb861);
    header[10] = 0xb8;
    header[11] = 0x61;
    expect(internetChecksum(header)).toBe(0);
  });

  it('pads an odd last byte with zero', () => {
    expect(internetChecksum(Uint8Array.from([0x12, 0x34, 0x56]))).toBe(~(0x1234 + 0x5600) & 0xffff);
  });

  it('sums only the given range', () => {
    const bytes = Uint8Array.from([0xff, 0xff, 0x00, 0x01, 0xff]);
    expect(internetChecksum(bytes, 2, 4)).toBe(0xfffe);
  });
});

describe('updateChecksum', () => {
  it('gives the checksum a full re-sum gives after one word changed', () => {
    const bytes = Uint8Array.from([0x08, 0x00, 0x00, 0x00, 0x1c, 0x2b, 0x00, 0x01, 0xde, 0xad]);
    const before = internetChecksum(bytes);
    bytes[0] = 0x00; // ICMP echo request (8) becomes echo reply (0)
    expect(updateChecksum(before, 0x0800, 0x0000)).toBe(internetChecksum(bytes));
  });
});
