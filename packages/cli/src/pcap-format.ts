/** The classic libpcap file format (not pcapng), as tcpdump and Wireshark read it. */
export const PCAP_MAGIC_MICROSECONDS = 0xa1b2c3d4;
export const PCAP_MAGIC_NANOSECONDS = 0xa1b23c4d;
export const PCAP_VERSION_MAJOR = 2;
export const PCAP_VERSION_MINOR = 4;
export const PCAP_GLOBAL_HEADER_SIZE = 24;
export const PCAP_RECORD_HEADER_SIZE = 16;
export const PCAP_DEFAULT_SNAPLEN = 262144;

/** Link types the CLI writes: Ethernet frames, or bare IP packets (memif `mode=ip`). */
export const LinkType = { Ethernet: 1, RawIp: 101 } as const;

export function linkTypeName(linkType: number): string {
  if (linkType === LinkType.Ethernet) return 'Ethernet';
  if (linkType === LinkType.RawIp) return 'raw IP';
  return `link type ${linkType}`;
}

/** One captured packet: its time in microseconds since the epoch and its bytes. */
export interface PcapRecord {
  readonly timestampMicros: number;
  /** Length on the wire; more than `data.length` when the capture cut the packet. */
  readonly originalLength: number;
  readonly data: Uint8Array;
}
