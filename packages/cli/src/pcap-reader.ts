import {
  PCAP_GLOBAL_HEADER_SIZE,
  PCAP_MAGIC_MICROSECONDS,
  PCAP_MAGIC_NANOSECONDS,
  PCAP_RECORD_HEADER_SIZE,
  type PcapRecord,
} from './pcap-format.ts';
import { PcapFormatError } from './pcap-format-error.ts';

export interface PcapFile {
  readonly linkType: number;
  readonly snaplen: number;
  readonly versionMajor: number;
  readonly versionMinor: number;
  readonly records: PcapRecord[];
}

/**
 * Parses a whole classic pcap file: either byte order, microsecond or nanosecond timestamps
 * (read as microseconds). A pcapng file is refused with a hint to convert it.
 */
export function parsePcap(bytes: Uint8Array): PcapFile {
  if (bytes.length < PCAP_GLOBAL_HEADER_SIZE) {
    throw new PcapFormatError(`${bytes.length} bytes is too short for a pcap file (the header alone is 24)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magicLe = view.getUint32(0, true);
  const magicBe = view.getUint32(0, false);
  let little: boolean;
  let nanos: boolean;
  if (magicLe === PCAP_MAGIC_MICROSECONDS || magicLe === PCAP_MAGIC_NANOSECONDS) {
    little = true;
    nanos = magicLe === PCAP_MAGIC_NANOSECONDS;
  } else if (magicBe === PCAP_MAGIC_MICROSECONDS || magicBe === PCAP_MAGIC_NANOSECONDS) {
    little = false;
    nanos = magicBe === PCAP_MAGIC_NANOSECONDS;
  } else if (magicLe === 0x0a0d0d0a) {
    throw new PcapFormatError('this is a pcapng file; convert it with `editcap -F pcap in.pcapng out.pcap`');
  } else {
    throw new PcapFormatError(`not a pcap file (magic 0x${magicLe.toString(16).padStart(8, '0')})`);
  }
  const records: PcapRecord[] = [];
  let at = PCAP_GLOBAL_HEADER_SIZE;
  while (at < bytes.length) {
    if (bytes.length - at < PCAP_RECORD_HEADER_SIZE) {
      throw new PcapFormatError(`record ${records.length + 1} is cut short at byte ${at} (truncated file)`);
    }
    const seconds = view.getUint32(at, little);
    const fraction = view.getUint32(at + 4, little);
    const included = view.getUint32(at + 8, little);
    const original = view.getUint32(at + 12, little);
    at += PCAP_RECORD_HEADER_SIZE;
    if (included > bytes.length - at) {
      throw new PcapFormatError(`record ${records.length + 1} claims ${included} bytes but ${bytes.length - at} remain (truncated file)`);
    }
    records.push({
      timestampMicros: seconds * 1e6 + (nanos ? Math.floor(fraction / 1000) : fraction),
      originalLength: original,
      data: bytes.subarray(at, at + included),
    });
    at += included;
  }
  return {
    versionMajor: view.getUint16(4, little),
    versionMinor: view.getUint16(6, little),
    snaplen: view.getUint32(16, little),
    linkType: view.getUint32(20, little) & 0x0fffffff,
    records,
  };
}
