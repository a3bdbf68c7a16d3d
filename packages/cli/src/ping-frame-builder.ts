import {
  ARP_PACKET_SIZE,
  ArpOperation,
  BROADCAST_MAC,
  ETHERNET_HEADER_SIZE,
  EtherType,
  encodeArp,
  encodeIcmpEcho,
  ICMP_ECHO_HEADER_SIZE,
  type IcmpEcho,
  IPV4_HEADER_SIZE,
  IpProtocol,
  MIN_ETHERNET_FRAME,
  writeEthernetHeader,
  writeIpv4Header,
} from '@memif/frame';

const ZERO_MAC = new Uint8Array(6);

/**
 * Builds the frames `memif ping` sends from one address: ARP requests and replies, ICMP echo
 * requests and replies. In `ip` mode there is no link layer: frames are bare IPv4 packets and
 * ARP does not exist. Each call allocates the frame it returns.
 */
export class PingFrameBuilder {
  readonly #linkHeader: number;
  #identification = 0;

  constructor(
    readonly mode: 'ethernet' | 'ip',
    readonly mac: Uint8Array,
    readonly ip: number,
  ) {
    this.#linkHeader = mode === 'ethernet' ? ETHERNET_HEADER_SIZE : 0;
  }

  arpRequest(targetIp: number): Uint8Array {
    return this.#arp(ArpOperation.Request, BROADCAST_MAC, ZERO_MAC, targetIp);
  }

  arpReply(targetMac: Uint8Array, targetIp: number): Uint8Array {
    return this.#arp(ArpOperation.Reply, targetMac, targetMac, targetIp);
  }

  /** An echo request or reply to `destinationIp` (via `destinationMac` in ethernet mode). */
  echo(echo: IcmpEcho, destinationMac: Uint8Array, destinationIp: number, ttl = 64): Uint8Array {
    const ipLength = IPV4_HEADER_SIZE + ICMP_ECHO_HEADER_SIZE + echo.payload.length;
    const frame = new Uint8Array(Math.max(this.#linkHeader + ipLength, this.#linkHeader === 0 ? 0 : MIN_ETHERNET_FRAME));
    if (this.mode === 'ethernet') {
      writeEthernetHeader(frame, { destination: destinationMac, source: this.mac, etherType: EtherType.Ipv4 });
    }
    writeIpv4Header(frame, this.#linkHeader, {
      totalLength: ipLength,
      identification: ++this.#identification,
      ttl,
      protocol: IpProtocol.Icmp,
      source: this.ip,
      destination: destinationIp,
    });
    encodeIcmpEcho(echo, frame, this.#linkHeader + IPV4_HEADER_SIZE);
    return frame;
  }

  #arp(operation: number, ethernetDestination: Uint8Array, targetMac: Uint8Array, targetIp: number): Uint8Array {
    const frame = new Uint8Array(Math.max(ETHERNET_HEADER_SIZE + ARP_PACKET_SIZE, MIN_ETHERNET_FRAME));
    writeEthernetHeader(frame, { destination: ethernetDestination, source: this.mac, etherType: EtherType.Arp });
    encodeArp({ operation, senderMac: this.mac, senderIp: this.ip, targetMac, targetIp }, frame, ETHERNET_HEADER_SIZE);
    return frame;
  }
}
