import {
  ETHER_DST, ETHER_HEADER_LENGTH, ETHER_SRC, ETHER_TYPE, ETHER_TYPE_IPV4, IP_PROTO_UDP,
  IPV4_HEADER_LENGTH, writeU16,
} from './ethernet.ts';
import { internetChecksum } from './internet-checksum.ts';

/** testpmd's txonly defaults (app/test-pmd: tx_ip_src_addr, tx_ip_dst_addr, tx_udp_src_port…). */
export const TXONLY_IP_SRC = Uint8Array.of(198, 18, 0, 1);
export const TXONLY_IP_DST = Uint8Array.of(198, 18, 0, 2);
export const TXONLY_UDP_PORT = 9;
const IP_DEFAULT_TTL = 64;

/**
 * Builds the frame testpmd's txonly sends: Ethernet (src = port MAC, dst = eth-peer, IPv4), IPv4
 * (version 4, IHL 5, TTL 64, id 0, DF clear, header checksum), UDP 9 -> 9 with checksum 0 (as
 * testpmd sends it), zero payload. `length` is the whole frame (at least 42). Allocates the frame.
 */
export function buildTxonlyPacket(length: number, source: Uint8Array, destination: Uint8Array): Uint8Array {
  const frame = new Uint8Array(length);
  frame.set(destination.subarray(0, 6), ETHER_DST);
  frame.set(source.subarray(0, 6), ETHER_SRC);
  writeU16(frame, ETHER_TYPE, ETHER_TYPE_IPV4);
  const ip = ETHER_HEADER_LENGTH;
  frame[ip] = 0x45;
  frame[ip + 1] = 0; // type of service
  writeU16(frame, ip + 2, length - ETHER_HEADER_LENGTH);
  writeU16(frame, ip + 4, 0); // packet id
  writeU16(frame, ip + 6, 0); // fragment offset
  frame[ip + 8] = IP_DEFAULT_TTL;
  frame[ip + 9] = IP_PROTO_UDP;
  frame.set(TXONLY_IP_SRC, ip + 12);
  frame.set(TXONLY_IP_DST, ip + 16);
  writeU16(frame, ip + 10, internetChecksum(frame, ip, IPV4_HEADER_LENGTH));
  const udp = ip + IPV4_HEADER_LENGTH;
  writeU16(frame, udp, TXONLY_UDP_PORT);
  writeU16(frame, udp + 2, TXONLY_UDP_PORT);
  writeU16(frame, udp + 4, length - ETHER_HEADER_LENGTH - IPV4_HEADER_LENGTH);
  writeU16(frame, udp + 6, 0);
  return frame;
}
