import { describe, expect, it } from 'vitest';
import { readUdpHeader, UDP_HEADER_SIZE, writeUdpHeader } from './udp-header.ts';

describe('UDP header', () => {
  it('writes the four fields big-endian and reads them back', () => {
    const bytes = new Uint8Array(2 + UDP_HEADER_SIZE);
    const header = { sourcePort: 9, destinationPort: 0x1234, length: 30, checksum: 0 };
    expect(writeUdpHeader(bytes, 2, header)).toBe(8);
    expect([...bytes]).toEqual([0, 0, 0, 9, 0x12, 0x34, 0, 30, 0, 0]);
    expect(readUdpHeader(bytes, 2)).toEqual(header);
  });

  it('refuses a buffer too short for the header', () => {
    expect(readUdpHeader(new Uint8Array(7), 0)).toBeUndefined();
    expect(() => writeUdpHeader(new Uint8Array(7), 0, { sourcePort: 1, destinationPort: 1, length: 8, checksum: 0 })).toThrow(
      'a UDP header needs 8 bytes at offset 0; the buffer has 7',
    );
  });
});
