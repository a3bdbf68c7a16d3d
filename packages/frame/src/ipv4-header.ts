import { internetChecksum } from './internet-checksum.ts';
import { readIpv4, writeIpv4 } from './ipv4-address.ts';

export const IPV4_HEADER_SIZE = 20;

export const IpProtocol = { Icmp: 1, Tcp: 6, Udp: 17, Icmpv6: 58 } as const;

export interface Ipv4Header {
  /** Bytes of header plus payload. */
  readonly totalLength: number;
  readonly identification: number;
  readonly ttl: number;
  readonly protocol: number;
  readonly source: number;
  readonly destination: number;
}

/** What `writeIpv4Header` writes: the header fields, and whether to set Don't Fragment. */
export interface Ipv4HeaderToWrite extends Ipv4Header {
  /** The DF flag; default true (ping's choice). dpdk-testpmd's txonly frames leave it clear. */
  readonly dontFragment?: boolean;
}

export interface DecodedIpv4Header extends Ipv4Header {
  /** Header length in bytes (IHL × 4). */
  readonly headerLength: number;
  readonly checksumValid: boolean;
  /** Non-zero fragment offset: the payload does not start with a transport header. */
  readonly isLaterFragment: boolean;
}

/** Writes a 20-byte header (no options, DF set unless `dontFragment` is false) with its checksum; returns 20. */
export function writeIpv4Header(into: Uint8Array, offset: number, header: Ipv4HeaderToWrite): number {
  const view = new DataView(into.buffer, into.byteOffset + offset, IPV4_HEADER_SIZE);
  view.setUint8(0, 0x45);
  view.setUint8(1, 0);
  view.setUint16(2, header.totalLength);
  view.setUint16(4, header.identification & 0xffff);
  view.setUint16(6, header.dontFragment === false ? 0 : 0x4000);
  view.setUint8(8, header.ttl);
  view.setUint8(9, header.protocol);
  view.setUint16(10, 0);
  writeIpv4(into, offset + 12, header.source);
  writeIpv4(into, offset + 16, header.destination);
  view.setUint16(10, internetChecksum(into, offset, offset + IPV4_HEADER_SIZE));
  return IPV4_HEADER_SIZE;
}

/** The IPv4 header at `offset`, or undefined when it is short or not version 4. */
export function readIpv4Header(from: Uint8Array, offset: number): DecodedIpv4Header | undefined {
  if (from.length - offset < IPV4_HEADER_SIZE) return undefined;
  const first = from[offset] ?? 0;
  const headerLength = (first & 0x0f) * 4;
  if (first >>> 4 !== 4 || headerLength < IPV4_HEADER_SIZE || from.length - offset < headerLength) return undefined;
  const view = new DataView(from.buffer, from.byteOffset + offset, headerLength);
  return {
    headerLength,
    totalLength: view.getUint16(2),
    identification: view.getUint16(4),
    isLaterFragment: (view.getUint16(6) & 0x1fff) !== 0,
    ttl: view.getUint8(8),
    protocol: view.getUint8(9),
    source: readIpv4(from, offset + 12),
    destination: readIpv4(from, offset + 16),
    checksumValid: internetChecksum(from, offset, offset + headerLength) === 0,
  };
}
