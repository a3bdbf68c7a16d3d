import { readUint16, writeUint16 } from './uint16.ts';

export const UDP_HEADER_SIZE = 8;

export interface UdpHeader {
  readonly sourcePort: number;
  readonly destinationPort: number;
  /** Bytes of header plus data. */
  readonly length: number;
  /** 0 means "no checksum" over IPv4 (RFC 768). */
  readonly checksum: number;
}

/** Writes the 8-byte header at `offset` as given (the checksum is not computed); returns 8. */
export function writeUdpHeader(into: Uint8Array, offset: number, header: UdpHeader): number {
  if (into.length - offset < UDP_HEADER_SIZE)
    throw new RangeError(`a UDP header needs ${UDP_HEADER_SIZE} bytes at offset ${offset}; the buffer has ${into.length}`);
  writeUint16(into, offset, header.sourcePort);
  writeUint16(into, offset + 2, header.destinationPort);
  writeUint16(into, offset + 4, header.length);
  writeUint16(into, offset + 6, header.checksum);
  return UDP_HEADER_SIZE;
}

/** The UDP header at `offset`, or undefined when fewer than 8 bytes are left. */
export function readUdpHeader(from: Uint8Array, offset: number): UdpHeader | undefined {
  if (from.length - offset < UDP_HEADER_SIZE) return undefined;
  return {
    sourcePort: readUint16(from, offset),
    destinationPort: readUint16(from, offset + 2),
    length: readUint16(from, offset + 4),
    checksum: readUint16(from, offset + 6),
  };
}
