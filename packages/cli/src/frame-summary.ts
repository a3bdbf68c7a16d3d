import {
  ArpOperation,
  decodeArp,
  decodeIcmp,
  ETHERNET_HEADER_SIZE,
  EtherType,
  formatIpv4,
  IcmpType,
  IpProtocol,
  readEthernetHeader,
  readIpv4Header,
  readUint16,
} from '@memif/frame';
import { formatMacAddress } from '@memif/memif';

const IPV6_HEADER_SIZE = 40;

const icmpTypeNames: Record<number, string> = {
  [IcmpType.EchoReply]: 'echo reply',
  [IcmpType.DestinationUnreachable]: 'destination unreachable',
  [IcmpType.EchoRequest]: 'echo request',
  [IcmpType.TimeExceeded]: 'time exceeded',
};

const protocolNames: Record<number, string> = {
  [IpProtocol.Icmp]: 'ICMP',
  [IpProtocol.Tcp]: 'TCP',
  [IpProtocol.Udp]: 'UDP',
  [IpProtocol.Icmpv6]: 'ICMPv6',
};

function protocolName(protocol: number): string {
  return protocolNames[protocol] ?? `IP protocol ${protocol}`;
}

function hex16(value: number): string {
  return `0x${value.toString(16).padStart(4, '0')}`;
}

/** `hh:mm:ss.uuuuuu` in local time, as tcpdump prints it. */
export function formatCaptureTime(timestampMicros: number): string {
  const date = new Date(Math.floor(timestampMicros / 1000));
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(timestampMicros % 1e6, 6)}`;
}

function formatIpv6(bytes: Uint8Array, offset: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(readUint16(bytes, offset + i));
  // RFC 5952: the longest run (two or more) of zero groups becomes "::".
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const text = groups.map((g) => g.toString(16));
  if (bestStart < 0) return text.join(':');
  return `${text.slice(0, bestStart).join(':')}::${text.slice(bestStart + bestLength).join(':')}`;
}

/** "src > dst: PROTO details" for a transport header at `offset` (ports, ICMP type). */
function transportSummary(bytes: Uint8Array, offset: number, end: number, protocol: number, source: string, destination: string): string {
  const name = protocolName(protocol);
  if ((protocol === IpProtocol.Tcp || protocol === IpProtocol.Udp) && end - offset >= 4) {
    const sourcePort = readUint16(bytes, offset);
    const destinationPort = readUint16(bytes, offset + 2);
    const withPort = (address: string, port: number): string => (address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`);
    return `${withPort(source, sourcePort)} > ${withPort(destination, destinationPort)}: ${name}`;
  }
  if (protocol === IpProtocol.Icmp) {
    const icmp = decodeIcmp(bytes, offset, end);
    if (icmp !== undefined) {
      const type = icmpTypeNames[icmp.type] ?? `type ${icmp.type} code ${icmp.code}`;
      const echo =
        icmp.type === IcmpType.EchoRequest || icmp.type === IcmpType.EchoReply ? ` id ${icmp.identifier} seq ${icmp.sequence}` : '';
      return `${source} > ${destination}: ICMP ${type}${echo}`;
    }
  }
  return `${source} > ${destination}: ${name}`;
}

function ipSummary(bytes: Uint8Array, offset: number): string {
  const version = (bytes[offset] ?? 0) >>> 4;
  if (version === 4) {
    const ip = readIpv4Header(bytes, offset);
    if (ip === undefined) return 'IPv4, truncated header';
    const end = Math.min(bytes.length, offset + ip.totalLength);
    const source = formatIpv4(ip.source);
    const destination = formatIpv4(ip.destination);
    if (ip.isLaterFragment) return `IPv4, ${source} > ${destination}: ${protocolName(ip.protocol)} fragment`;
    return `IPv4, ${transportSummary(bytes, offset + ip.headerLength, end, ip.protocol, source, destination)}`;
  }
  if (version === 6) {
    if (bytes.length - offset < IPV6_HEADER_SIZE) return 'IPv6, truncated header';
    const nextHeader = bytes[offset + 6] ?? 0;
    const source = formatIpv6(bytes, offset + 8);
    const destination = formatIpv6(bytes, offset + 24);
    return `IPv6, ${transportSummary(bytes, offset + IPV6_HEADER_SIZE, bytes.length, nextHeader, source, destination)}`;
  }
  return `IP version ${version}?`;
}

function arpSummary(frame: Uint8Array, offset: number): string {
  const arp = decodeArp(frame, offset);
  if (arp === undefined) return 'ARP, not Ethernet/IPv4 or truncated';
  if (arp.operation === ArpOperation.Request) return `ARP, Request who-has ${formatIpv4(arp.targetIp)} tell ${formatIpv4(arp.senderIp)}`;
  if (arp.operation === ArpOperation.Reply) return `ARP, Reply ${formatIpv4(arp.senderIp)} is-at ${formatMacAddress(arp.senderMac)}`;
  return `ARP, operation ${arp.operation}`;
}

/**
 * One line about a received frame, in the spirit of `tcpdump -e`: MACs, EtherType, addresses,
 * protocol, ports and length. `mode` is the memif mode: in `ip` mode frames are bare IP packets.
 */
export function summarizeFrame(frame: Uint8Array, mode: 'ethernet' | 'ip' | 'punt-inject'): string {
  if (mode === 'ip') return `${ipSummary(frame, 0)}, length ${frame.length}`;
  if (mode === 'punt-inject') return `punt/inject, length ${frame.length}`;
  const ethernet = readEthernetHeader(frame);
  if (ethernet === undefined) return `runt frame, length ${frame.length}`;
  const macs = `${formatMacAddress(ethernet.source)} > ${formatMacAddress(ethernet.destination)}`;
  let etherType = ethernet.etherType;
  let offset = ETHERNET_HEADER_SIZE;
  let vlan = '';
  if (etherType === EtherType.Vlan && frame.length >= offset + 4) {
    vlan = `, vlan ${readUint16(frame, offset) & 0x0fff}`;
    etherType = readUint16(frame, offset + 2);
    offset += 4;
  }
  let payload: string;
  if (etherType === EtherType.Ipv4 || etherType === EtherType.Ipv6) payload = ipSummary(frame, offset);
  else if (etherType === EtherType.Arp) payload = arpSummary(frame, offset);
  else payload = `ethertype ${hex16(etherType)}`;
  return `${macs}${vlan}, ${payload}, length ${frame.length}`;
}
