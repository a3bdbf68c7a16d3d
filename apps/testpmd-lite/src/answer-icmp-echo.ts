import {
  ARP_HRD_ETHER, ARP_LENGTH, ARP_OP_REPLY, ARP_OP_REQUEST, ETHER_DST, ETHER_SRC, ETHER_TYPE_ARP,
  ETHER_TYPE_IPV4, ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, IP_PROTO_ICMP, IPV4_HEADER_LENGTH, l3Offset,
  readU16, swapBytes, writeU16,
} from './ethernet.ts';
import { internetChecksum, updateChecksum } from './internet-checksum.ts';

/**
 * testpmd's icmpecho engine for one frame, in place: an ARP request (for any address) becomes the
 * reply from `portMac`; an ICMP echo request becomes the echo reply (MACs and IPs swapped, type 0,
 * ICMP checksum updated incrementally; to a multicast request the reply comes from a neighbouring
 * unicast address, as testpmd does). Returns whether the frame is now a reply to send; anything
 * else is to be dropped. Allocates nothing.
 */
export function answerIcmpEcho(frame: Uint8Array, portMac: Uint8Array): boolean {
  const l3 = l3Offset(frame);
  if (l3 < 0) return false;
  const etherType = readU16(frame, l3 - 2);
  if (etherType === ETHER_TYPE_ARP) return answerArpRequest(frame, l3, portMac);
  if (etherType !== ETHER_TYPE_IPV4) return false;
  return answerEchoRequest(frame, l3);
}

function answerArpRequest(frame: Uint8Array, arp: number, portMac: Uint8Array): boolean {
  if (frame.byteLength < arp + ARP_LENGTH) return false;
  const isEthernetIpv4 = readU16(frame, arp) === ARP_HRD_ETHER && readU16(frame, arp + 2) === ETHER_TYPE_IPV4
    && frame[arp + 4] === 6 && frame[arp + 5] === 4;
  if (!isEthernetIpv4 || readU16(frame, arp + 6) !== ARP_OP_REQUEST) return false;
  const sha = arp + 8;
  const sip = arp + 14;
  const tha = arp + 18;
  const tip = arp + 24;
  frame.copyWithin(ETHER_DST, ETHER_SRC, ETHER_SRC + 6);
  frame.set(portMac.subarray(0, 6), ETHER_SRC);
  writeU16(frame, arp + 6, ARP_OP_REPLY);
  frame.copyWithin(tha, sha, sha + 6);
  frame.set(portMac.subarray(0, 6), sha);
  swapBytes(frame, sip, tip, 4);
  return true;
}

function answerEchoRequest(frame: Uint8Array, ip: number): boolean {
  if (frame.byteLength < ip + IPV4_HEADER_LENGTH || frame[ip + 9] !== IP_PROTO_ICMP) return false;
  const headerLength = ((frame[ip] as number) & 0x0f) * 4;
  const icmp = ip + headerLength;
  if (headerLength < IPV4_HEADER_LENGTH || frame.byteLength < icmp + 8) return false;
  if (frame[icmp] !== ICMP_ECHO_REQUEST || frame[icmp + 1] !== 0) return false;

  swapBytes(frame, ETHER_DST, ETHER_SRC, 6);
  const src = ip + 12;
  const dst = ip + 16;
  if (((frame[dst] as number) & 0xf0) === 0xe0) {
    // A multicast destination cannot be a source: answer from the request's source with its
    // low two bits changed (…01 becomes …10, anything else …01), then re-sum the IP header.
    frame.copyWithin(dst, src, src + 4);
    const low = frame[src + 3] as number;
    frame[src + 3] = (low & 0x03) === 1 ? (low & 0xfc) | 2 : (low & 0xfc) | 1;
    writeU16(frame, ip + 10, 0);
    writeU16(frame, ip + 10, internetChecksum(frame, ip, headerLength));
  } else {
    // Swapping two words of the header leaves its checksum unchanged.
    swapBytes(frame, src, dst, 4);
  }
  frame[icmp] = ICMP_ECHO_REPLY;
  writeU16(frame, icmp + 2, updateChecksum(readU16(frame, icmp + 2), ICMP_ECHO_REQUEST << 8, ICMP_ECHO_REPLY << 8));
  return true;
}
