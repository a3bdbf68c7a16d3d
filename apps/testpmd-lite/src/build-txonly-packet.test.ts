import { internetChecksum } from '@memif/frame';
import { describe, expect, it } from 'vitest';
import { buildTxonlyPacket } from './build-txonly-packet.ts';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const SRC = Uint8Array.of(0x02, 0x11, 0x22, 0x33, 0x44, 0x55);
const DST = Uint8Array.of(0x02, 0, 0, 0, 0, 0);

describe('buildTxonlyPacket', () => {
  it('builds the 64-byte Ethernet/IPv4/UDP frame testpmd txonly sends', () => {
    const frame = buildTxonlyPacket(64, SRC, DST);
    expect(frame.byteLength).toBe(64);
    expect(hex(frame.subarray(0, 42))).toBe(
      '020000000000' +
        '021122334455' +
        '0800' + // Ethernet: dst = eth-peer, src = port, IPv4
        '4500' +
        '0032' +
        '0000' +
        '0000' +
        '4011' +
        'ee93' +
        'c6120001' +
        'c6120002' + // IPv4 198.18.0.1 -> .2
        '0009' +
        '0009' +
        '001e' +
        '0000', // UDP 9 -> 9, length 30, no checksum
    );
    expect(frame.subarray(42).every((b) => b === 0)).toBe(true);
  });

  it('sizes IP and UDP lengths from the frame length and keeps the IP checksum valid', () => {
    const frame = buildTxonlyPacket(1500, SRC, DST);
    expect((frame[16]! << 8) | frame[17]!).toBe(1486);
    expect((frame[38]! << 8) | frame[39]!).toBe(1466);
    expect(internetChecksum(frame, 14, 34)).toBe(0);
  });
});
