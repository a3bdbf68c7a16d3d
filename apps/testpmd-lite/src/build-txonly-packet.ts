import {
  ETHERNET_HEADER_SIZE,
  EtherType,
  IPV4_HEADER_SIZE,
  IpProtocol,
  writeEthernetHeader,
  writeIpv4Header,
  writeUdpHeader,
} from '@memif/frame';

/** testpmd's txonly defaults (app/test-pmd: tx_ip_src_addr, tx_ip_dst_addr, tx_udp_src_port…). */
export const TXONLY_IP_SRC = 0xc6120001; // 198.18.0.1
export const TXONLY_IP_DST = 0xc6120002; // 198.18.0.2
export const TXONLY_UDP_PORT = 9;
const IP_DEFAULT_TTL = 64;

/**
 * Builds the frame testpmd's txonly sends: Ethernet (src = port MAC, dst = eth-peer, IPv4), IPv4
 * (version 4, IHL 5, TTL 64, id 0, DF clear, header checksum), UDP 9 -> 9 with checksum 0 (as
 * testpmd sends it), zero payload. `length` is the whole frame (at least 42). Allocates the frame.
 */
export function buildTxonlyPacket(length: number, source: Uint8Array, destination: Uint8Array): Uint8Array {
  const frame = new Uint8Array(length);
  writeEthernetHeader(frame, { destination, source, etherType: EtherType.Ipv4 });
  const ip = ETHERNET_HEADER_SIZE;
  writeIpv4Header(frame, ip, {
    totalLength: length - ETHERNET_HEADER_SIZE,
    identification: 0,
    ttl: IP_DEFAULT_TTL,
    protocol: IpProtocol.Udp,
    source: TXONLY_IP_SRC,
    destination: TXONLY_IP_DST,
    dontFragment: false,
  });
  writeUdpHeader(frame, ip + IPV4_HEADER_SIZE, {
    sourcePort: TXONLY_UDP_PORT,
    destinationPort: TXONLY_UDP_PORT,
    length: length - ETHERNET_HEADER_SIZE - IPV4_HEADER_SIZE,
    checksum: 0,
  });
  return frame;
}
