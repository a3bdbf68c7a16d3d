import { describe, expect, it } from 'vitest';
import { decodeIcmp, encodeIcmpEcho, IcmpType } from './icmp-echo.ts';
import { internetChecksum } from './internet-checksum.ts';
import { IPV4_HEADER_SIZE, IpProtocol, readIpv4Header, writeIpv4Header } from './ipv4-header.ts';

describe('ICMP echo', () => {
  it('writes a checksum that verifies, and the fields ping expects', () => {
    const payload = Uint8Array.from({ length: 56 }, (_, i) => i);
    const bytes = new Uint8Array(64);
    const length = encodeIcmpEcho({ type: IcmpType.EchoRequest, identifier: 0x1234, sequence: 7, payload }, bytes, 0);
    expect(length).toBe(64);
    expect(internetChecksum(bytes)).toBe(0);
    expect(bytes[0]).toBe(8);
    expect(decodeIcmp(bytes, 0)).toEqual({ type: 8, code: 0, identifier: 0x1234, sequence: 7, checksumValid: true, length: 64 });
  });

  it('matches a checksum computed by hand', () => {
    // type 8, code 0, id 1, seq 1, no data: words 0800 0000 0001 0001 -> sum 0802 -> ~ = f7fd.
    const bytes = new Uint8Array(8);
    encodeIcmpEcho({ type: IcmpType.EchoRequest, identifier: 1, sequence: 1, payload: new Uint8Array(0) }, bytes, 0);
    expect((bytes[2] ?? 0) * 256 + (bytes[3] ?? 0)).toBe(0xf7fd);
  });

  it('detects a corrupted message', () => {
    const bytes = new Uint8Array(16);
    encodeIcmpEcho({ type: IcmpType.EchoReply, identifier: 9, sequence: 9, payload: new Uint8Array(8).fill(0xaa) }, bytes, 0);
    bytes[12] = 0xab;
    expect(decodeIcmp(bytes, 0)?.checksumValid).toBe(false);
  });
});

describe('IPv4 header', () => {
  it('round-trips with a valid checksum', () => {
    const bytes = new Uint8Array(IPV4_HEADER_SIZE + 8);
    writeIpv4Header(bytes, 0, {
      totalLength: 28,
      identification: 5,
      ttl: 64,
      protocol: IpProtocol.Icmp,
      source: 0xc0a80101,
      destination: 0xc0a80102,
    });
    expect(readIpv4Header(bytes, 0)).toEqual({
      headerLength: 20,
      totalLength: 28,
      identification: 5,
      isLaterFragment: false,
      ttl: 64,
      protocol: 1,
      source: 0xc0a80101,
      destination: 0xc0a80102,
      checksumValid: true,
    });
  });

  it('refuses other versions and short headers', () => {
    expect(readIpv4Header(new Uint8Array(19), 0)).toBeUndefined();
    expect(readIpv4Header(new Uint8Array(40).fill(0x60, 0, 1), 0)).toBeUndefined();
  });
});

describe('IPv4 header flags', () => {
  it("sets Don't Fragment unless told not to", () => {
    const bytes = new Uint8Array(IPV4_HEADER_SIZE);
    const header = { totalLength: 20, identification: 0, ttl: 64, protocol: IpProtocol.Udp, source: 1, destination: 2 };
    writeIpv4Header(bytes, 0, header);
    expect([bytes[6], bytes[7]]).toEqual([0x40, 0]);
    writeIpv4Header(bytes, 0, { ...header, dontFragment: false });
    expect([bytes[6], bytes[7]]).toEqual([0, 0]);
    expect(readIpv4Header(bytes, 0)?.checksumValid).toBe(true);
  });
});
