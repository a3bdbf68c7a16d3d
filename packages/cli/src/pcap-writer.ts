import { closeSync, openSync, writeSync } from 'node:fs';
import {
  PCAP_DEFAULT_SNAPLEN,
  PCAP_GLOBAL_HEADER_SIZE,
  PCAP_MAGIC_MICROSECONDS,
  PCAP_RECORD_HEADER_SIZE,
  PCAP_VERSION_MAJOR,
  PCAP_VERSION_MINOR,
} from './pcap-format.ts';

const BUFFER_SIZE = 1 << 20;

/** The 24-byte global header, little-endian as libpcap writes it on x86. */
export function encodePcapGlobalHeader(linkType: number, snaplen = PCAP_DEFAULT_SNAPLEN): Uint8Array {
  const header = new Uint8Array(PCAP_GLOBAL_HEADER_SIZE);
  const view = new DataView(header.buffer);
  view.setUint32(0, PCAP_MAGIC_MICROSECONDS, true);
  view.setUint16(4, PCAP_VERSION_MAJOR, true);
  view.setUint16(6, PCAP_VERSION_MINOR, true);
  view.setInt32(8, 0, true); // thiszone: timestamps are UTC
  view.setUint32(12, 0, true); // sigfigs
  view.setUint32(16, snaplen, true);
  view.setUint32(20, linkType, true);
  return header;
}

/**
 * Writes a pcap file synchronously through a 1 MiB buffer, so a burst of frames costs one write
 * and an interrupted capture loses nothing once `close()` (or `flush()`) has run.
 */
export class PcapWriter {
  readonly snaplen: number;
  #fd: number;
  readonly #buffer = new Uint8Array(BUFFER_SIZE);
  readonly #view = new DataView(this.#buffer.buffer);
  #used = 0;

  constructor(path: string, linkType: number, snaplen = PCAP_DEFAULT_SNAPLEN) {
    this.snaplen = snaplen;
    this.#fd = openSync(path, 'w');
    this.#buffer.set(encodePcapGlobalHeader(linkType, snaplen));
    this.#used = PCAP_GLOBAL_HEADER_SIZE;
  }

  /** Appends one record; frames longer than the snaplen are cut, keeping their original length. */
  write(frame: Uint8Array, timestampMicros: number): void {
    const included = Math.min(frame.length, this.snaplen);
    if (this.#used + PCAP_RECORD_HEADER_SIZE + included > BUFFER_SIZE) this.flush();
    const at = this.#used;
    this.#view.setUint32(at, Math.floor(timestampMicros / 1e6), true);
    this.#view.setUint32(at + 4, timestampMicros % 1e6, true);
    this.#view.setUint32(at + 8, included, true);
    this.#view.setUint32(at + 12, frame.length, true);
    this.#used += PCAP_RECORD_HEADER_SIZE;
    if (included > BUFFER_SIZE - this.#used) {
      this.flush();
      writeSync(this.#fd, frame, 0, included);
      return;
    }
    this.#buffer.set(included === frame.length ? frame : frame.subarray(0, included), this.#used);
    this.#used += included;
  }

  flush(): void {
    if (this.#used === 0 || this.#fd < 0) return;
    writeSync(this.#fd, this.#buffer, 0, this.#used);
    this.#used = 0;
  }

  close(): void {
    if (this.#fd < 0) return;
    this.flush();
    closeSync(this.#fd);
    this.#fd = -1;
  }
}
