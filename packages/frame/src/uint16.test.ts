import { describe, expect, it } from 'vitest';
import { readUint16, writeUint16 } from './uint16.ts';

describe('network-order 16-bit words', () => {
  it('are big-endian', () => {
    const bytes = new Uint8Array(3);
    writeUint16(bytes, 1, 0x86dd);
    expect([...bytes]).toEqual([0, 0x86, 0xdd]);
    expect(readUint16(bytes, 1)).toBe(0x86dd);
  });

  it('read bytes past the end as zero', () => {
    expect(readUint16(Uint8Array.of(0x12), 0)).toBe(0x1200);
  });
});
