import {
  ArpOperation,
  EtherType,
  IcmpType,
  IPV4_HEADER_SIZE,
  IpProtocol,
  internetChecksum,
  isEthernetIpv4Arp,
  networkHeaderOffset,
  readUint16,
  updateChecksum,
  writeUint16,
} from '@memif/frame';
import { swapBytes } from './swap-bytes.ts';

const ETHER_DST = 0;
const ETHER_SRC = 6;

/**
 * testpmd's icmpecho engine for one frame, in place: an ARP request (for any address) becomes the
 * reply from `portMac`; an ICMP echo request becomes the echo reply (MACs and IPs swapped, type 0,
 * ICMP checksum updated incrementally; to a multicast request the reply comes from a neighbouring
 * unicast address, as testpmd does). Returns whether the frame is now a reply to send; anything
 * else is to be dropped. Allocates nothing.
 */
export function answerIcmpEcho(frame: Uint8Array, portMac: Uint8Array): boolean {
  const l3 = networkHeaderOffset(frame);
  if (l3 < 0) return false;
  const etherType = readUint16(frame, l3 - 2);
  if (etherType === EtherType.Arp) return answerArpRequest(frame, l3, portMac);
  if (etherType !== EtherType.Ipv4) return false;
  return answerEchoRequest(frame, l3);
}

function answerArpRequest(frame: Uint8Array, arp: number, portMac: Uint8Array): boolean {
  if (!isEthernetIpv4Arp(frame, arp) || readUint16(frame, arp + 6) !== ArpOperation.Request) return false;
  const sha = arp + 8;
  const sip = arp + 14;
  const tha = arp + 18;
  const tip = arp + 24;
  frame.copyWithin(ETHER_DST, ETHER_SRC, ETHER_SRC + 6);
  frame.set(portMac.subarray(0, 6), ETHER_SRC);
  writeUint16(frame, arp + 6, ArpOperation.Reply);
  frame.copyWithin(tha, sha, sha + 6);
  frame.set(portMac.subarray(0, 6), sha);
  swapBytes(frame, sip, tip, 4);
  return true;
}

function answerEchoRequest(frame: Uint8Array, ip: number): boolean {
  if (frame.byteLength < ip + IPV4_HEADER_SIZE || frame[ip + 9] !== IpProtocol.Icmp) return false;
  const headerLength = ((frame[ip] as number) & 0x0f) * 4;
  const icmp = ip + headerLength;
  if (headerLength < IPV4_HEADER_SIZE || frame.byteLength < icmp + 8) return false;
  if (frame[icmp] !== IcmpType.EchoRequest || frame[icmp + 1] !== 0) return false;

  swapBytes(frame, ETHER_DST, ETHER_SRC, 6);
  const src = ip + 12;
  const dst = ip + 16;
  if (((frame[dst] as number) & 0xf0) === 0xe0) {
    // A multicast destination cannot be a source: answer from the request's source with its
    // low two bits changed (…01 becomes …10, anything else …01), then re-sum the IP header.
    frame.copyWithin(dst, src, src + 4);
    const low = frame[src + 3] as number;
    frame[src + 3] = (low & 0x03) === 1 ? (low & 0xfc) | 2 : (low & 0xfc) | 1;
    writeUint16(frame, ip + 10, 0);
    writeUint16(frame, ip + 10, internetChecksum(frame, ip, ip + headerLength));
  } else {
    // Swapping two words of the header leaves its checksum unchanged.
    swapBytes(frame, src, dst, 4);
  }
  frame[icmp] = IcmpType.EchoReply;
  writeUint16(frame, icmp + 2, updateChecksum(readUint16(frame, icmp + 2), IcmpType.EchoRequest << 8, IcmpType.EchoReply << 8));
  return true;
}
