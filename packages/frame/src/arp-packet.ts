import { EtherType } from './ethernet-header.ts';
import { readIpv4, writeIpv4 } from './ipv4-address.ts';
import { readUint16 } from './uint16.ts';

/** ARP over Ethernet for IPv4 (RFC 826): the 28 bytes after the Ethernet header. */
export const ARP_PACKET_SIZE = 28;

export const ArpOperation = { Request: 1, Reply: 2 } as const;

export interface ArpPacket {
  readonly operation: number;
  readonly senderMac: Uint8Array;
  readonly senderIp: number;
  readonly targetMac: Uint8Array;
  readonly targetIp: number;
}

/** The ARP hardware type of Ethernet. */
export const ARP_HARDWARE_ETHERNET = 1;

/**
 * Whether the ARP packet at `offset` is the Ethernet/IPv4 kind (hardware 1, protocol 0x0800,
 * address lengths 6 and 4) and whole. Allocates nothing.
 */
export function isEthernetIpv4Arp(from: Uint8Array, offset: number): boolean {
  if (from.length - offset < ARP_PACKET_SIZE) return false;
  return (
    readUint16(from, offset) === ARP_HARDWARE_ETHERNET &&
    readUint16(from, offset + 2) === EtherType.Ipv4 &&
    from[offset + 4] === 6 &&
    from[offset + 5] === 4
  );
}

/** Writes `packet` at `offset`; returns the bytes written. */
export function encodeArp(packet: ArpPacket, into: Uint8Array, offset: number): number {
  const view = new DataView(into.buffer, into.byteOffset + offset, ARP_PACKET_SIZE);
  view.setUint16(0, ARP_HARDWARE_ETHERNET);
  view.setUint16(2, EtherType.Ipv4);
  view.setUint8(4, 6);
  view.setUint8(5, 4);
  view.setUint16(6, packet.operation);
  into.set(packet.senderMac.subarray(0, 6), offset + 8);
  writeIpv4(into, offset + 14, packet.senderIp);
  into.set(packet.targetMac.subarray(0, 6), offset + 18);
  writeIpv4(into, offset + 24, packet.targetIp);
  return ARP_PACKET_SIZE;
}

/** The Ethernet/IPv4 ARP packet at `offset`, or undefined when it is short or another kind. */
export function decodeArp(from: Uint8Array, offset: number): ArpPacket | undefined {
  if (!isEthernetIpv4Arp(from, offset)) return undefined;
  return {
    operation: readUint16(from, offset + 6),
    senderMac: from.slice(offset + 8, offset + 14),
    senderIp: readIpv4(from, offset + 14),
    targetMac: from.slice(offset + 18, offset + 24),
    targetIp: readIpv4(from, offset + 24),
  };
}
