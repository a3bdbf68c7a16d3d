import { readIpv4, writeIpv4 } from './ipv4-address.ts';

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

const HARDWARE_ETHERNET = 1;
const PROTOCOL_IPV4 = 0x0800;

/** Writes `packet` at `offset`; returns the bytes written. */
export function encodeArp(packet: ArpPacket, into: Uint8Array, offset: number): number {
  const view = new DataView(into.buffer, into.byteOffset + offset, ARP_PACKET_SIZE);
  view.setUint16(0, HARDWARE_ETHERNET);
  view.setUint16(2, PROTOCOL_IPV4);
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
  if (from.length - offset < ARP_PACKET_SIZE) return undefined;
  const view = new DataView(from.buffer, from.byteOffset + offset, ARP_PACKET_SIZE);
  if (view.getUint16(0) !== HARDWARE_ETHERNET || view.getUint16(2) !== PROTOCOL_IPV4) return undefined;
  if (view.getUint8(4) !== 6 || view.getUint8(5) !== 4) return undefined;
  return {
    operation: view.getUint16(6),
    senderMac: from.slice(offset + 8, offset + 14),
    senderIp: readIpv4(from, offset + 14),
    targetMac: from.slice(offset + 18, offset + 24),
    targetIp: readIpv4(from, offset + 24),
  };
}
