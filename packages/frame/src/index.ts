export { ARP_HARDWARE_ETHERNET, ARP_PACKET_SIZE, ArpOperation, decodeArp, encodeArp, isEthernetIpv4Arp } from './arp-packet.ts';
export type { ArpPacket } from './arp-packet.ts';
export {
  BROADCAST_MAC,
  ETHERNET_HEADER_SIZE,
  EtherType,
  MIN_ETHERNET_FRAME,
  VLAN_TAG_SIZE,
  networkHeaderOffset,
  readEthernetHeader,
  sameMac,
  writeEthernetHeader,
} from './ethernet-header.ts';
export type { EthernetHeader } from './ethernet-header.ts';
export { ICMP_ECHO_HEADER_SIZE, IcmpType, decodeIcmp, encodeIcmpEcho } from './icmp-echo.ts';
export type { DecodedIcmp, IcmpEcho } from './icmp-echo.ts';
export { internetChecksum, updateChecksum } from './internet-checksum.ts';
export { formatIpv4, parseIpv4, readIpv4, writeIpv4 } from './ipv4-address.ts';
export { IPV4_HEADER_SIZE, IpProtocol, readIpv4Header, writeIpv4Header } from './ipv4-header.ts';
export type { DecodedIpv4Header, Ipv4Header, Ipv4HeaderToWrite } from './ipv4-header.ts';
export { UDP_HEADER_SIZE, readUdpHeader, writeUdpHeader } from './udp-header.ts';
export type { UdpHeader } from './udp-header.ts';
export { readUint16, writeUint16 } from './uint16.ts';
