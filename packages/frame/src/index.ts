export type { ArpPacket } from './arp-packet.ts';
export { ARP_HARDWARE_ETHERNET, ARP_PACKET_SIZE, ArpOperation, decodeArp, encodeArp, isEthernetIpv4Arp } from './arp-packet.ts';
export type { EthernetHeader } from './ethernet-header.ts';
export {
  BROADCAST_MAC,
  ETHERNET_HEADER_SIZE,
  EtherType,
  MIN_ETHERNET_FRAME,
  networkHeaderOffset,
  readEthernetHeader,
  sameMac,
  VLAN_TAG_SIZE,
  writeEthernetHeader,
} from './ethernet-header.ts';
export type { DecodedIcmp, IcmpEcho } from './icmp-echo.ts';
export { decodeIcmp, encodeIcmpEcho, ICMP_ECHO_HEADER_SIZE, IcmpType } from './icmp-echo.ts';
export { internetChecksum, updateChecksum } from './internet-checksum.ts';
export { formatIpv4, parseIpv4, readIpv4, writeIpv4 } from './ipv4-address.ts';
export type { DecodedIpv4Header, Ipv4Header, Ipv4HeaderToWrite } from './ipv4-header.ts';
export { IPV4_HEADER_SIZE, IpProtocol, readIpv4Header, writeIpv4Header } from './ipv4-header.ts';
export type { UdpHeader } from './udp-header.ts';
export { readUdpHeader, UDP_HEADER_SIZE, writeUdpHeader } from './udp-header.ts';
export { readUint16, writeUint16 } from './uint16.ts';
