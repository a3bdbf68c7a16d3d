import { readUint16, writeUint16 } from './uint16.ts';

/** EtherTypes this package builds or names. */
export const EtherType = {
  Ipv4: 0x0800,
  Arp: 0x0806,
  Vlan: 0x8100,
  Ipv6: 0x86dd,
} as const;

export const ETHERNET_HEADER_SIZE = 14;
/** An IEEE 802.1Q tag: TPID (0x8100) and TCI, between the source MAC and the EtherType. */
export const VLAN_TAG_SIZE = 4;
/** Shortest Ethernet frame without FCS; shorter frames are padded with zeros. */
export const MIN_ETHERNET_FRAME = 60;
export const BROADCAST_MAC = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);

export interface EthernetHeader {
  readonly destination: Uint8Array;
  readonly source: Uint8Array;
  readonly etherType: number;
}

/** Writes destination, source and EtherType at the start of `frame`; returns the header size. */
export function writeEthernetHeader(frame: Uint8Array, header: EthernetHeader): number {
  frame.set(header.destination.subarray(0, 6), 0);
  frame.set(header.source.subarray(0, 6), 6);
  writeUint16(frame, 12, header.etherType);
  return ETHERNET_HEADER_SIZE;
}

/** The header of `frame` (views into it), or undefined for a frame shorter than a header. */
export function readEthernetHeader(frame: Uint8Array): EthernetHeader | undefined {
  if (frame.length < ETHERNET_HEADER_SIZE) return undefined;
  return {
    destination: frame.subarray(0, 6),
    source: frame.subarray(6, 12),
    etherType: readUint16(frame, 12),
  };
}

export function sameMac(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 6; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Where the network-layer header starts, looking through one 802.1Q tag as dpdk-testpmd does;
 * its EtherType is the 16 bits just before it. -1 when the frame is too short to say.
 * Allocates nothing.
 */
export function networkHeaderOffset(frame: Uint8Array): number {
  if (frame.length < ETHERNET_HEADER_SIZE) return -1;
  if (readUint16(frame, 12) !== EtherType.Vlan) return ETHERNET_HEADER_SIZE;
  const offset = ETHERNET_HEADER_SIZE + VLAN_TAG_SIZE;
  return frame.length < offset ? -1 : offset;
}
