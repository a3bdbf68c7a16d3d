/** Byte offsets and constants of the Ethernet, ARP, IPv4, ICMP and UDP headers we read or build. */
export const ETHER_HEADER_LENGTH = 14;
export const VLAN_HEADER_LENGTH = 4;
export const ETHER_DST = 0;
export const ETHER_SRC = 6;
export const ETHER_TYPE = 12;

export const ETHER_TYPE_IPV4 = 0x0800;
export const ETHER_TYPE_ARP = 0x0806;
export const ETHER_TYPE_VLAN = 0x8100;

export const IPV4_HEADER_LENGTH = 20;
export const IP_PROTO_ICMP = 1;
export const IP_PROTO_UDP = 17;
export const UDP_HEADER_LENGTH = 8;

export const ARP_HRD_ETHER = 1;
export const ARP_OP_REQUEST = 1;
export const ARP_OP_REPLY = 2;
/** hardware type, protocol type, hlen, plen, opcode, sha, sip, tha, tip. */
export const ARP_LENGTH = 28;

export const ICMP_ECHO_REQUEST = 8;
export const ICMP_ECHO_REPLY = 0;

export function readU16(bytes: Uint8Array, at: number): number {
  return ((bytes[at] as number) << 8) | (bytes[at + 1] as number);
}

export function writeU16(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = (value >>> 8) & 0xff;
  bytes[at + 1] = value & 0xff;
}

/** Swaps `length` bytes at `a` with those at `b` in place, allocating nothing. */
export function swapBytes(bytes: Uint8Array, a: number, b: number, length: number): void {
  for (let i = 0; i < length; i++) {
    const t = bytes[a + i] as number;
    bytes[a + i] = bytes[b + i] as number;
    bytes[b + i] = t;
  }
}

/**
 * The offset of the L3 header, looking through one 802.1Q tag as testpmd does; its EtherType is
 * the 16 bits just before it. -1 when the frame is too short to say.
 */
export function l3Offset(frame: Uint8Array): number {
  if (frame.byteLength < ETHER_HEADER_LENGTH) return -1;
  if (readU16(frame, ETHER_TYPE) !== ETHER_TYPE_VLAN) return ETHER_HEADER_LENGTH;
  const offset = ETHER_HEADER_LENGTH + VLAN_HEADER_LENGTH;
  return frame.byteLength < offset ? -1 : offset;
}
