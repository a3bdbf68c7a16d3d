import { describe, expect, it } from 'vitest';
import { forwardFrames } from './forward-frames.ts';

const PORT = Uint8Array.of(0x02, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa);
const PEER = Uint8Array.of(0x02, 0, 0, 0, 0, 0x01);
const addresses = { txPortMac: PORT, peerMac: PEER };

function frame(dst: number, src: number, length = 64): Uint8Array {
  const bytes = new Uint8Array(length);
  bytes.fill(dst, 0, 6);
  bytes.fill(src, 6, 12);
  bytes[12] = 0x08;
  bytes.fill(0x5a, 14);
  return bytes;
}

describe('forwardFrames', () => {
  it('io forwards every frame untouched', () => {
    const frames = [frame(1, 2), frame(3, 4)];
    const copy = frames.map((f) => f.slice());
    expect(forwardFrames('io', frames, 2, addresses)).toBe(2);
    expect(frames).toEqual(copy);
  });

  it('macswap swaps source and destination and leaves the rest', () => {
    const frames = [frame(0x11, 0x22), frame(0x33, 0x44)];
    expect(forwardFrames('macswap', frames, 2, addresses)).toBe(2);
    expect([...frames[0]!.subarray(0, 12)]).toEqual([...new Array(6).fill(0x22), ...new Array(6).fill(0x11)]);
    expect([...frames[1]!.subarray(0, 12)]).toEqual([...new Array(6).fill(0x44), ...new Array(6).fill(0x33)]);
    expect(frames[0]![12]).toBe(0x08);
    expect(frames[0]![63]).toBe(0x5a);
  });

  it('mac writes the peer as destination and the tx port as source', () => {
    const frames = [frame(0x11, 0x22)];
    expect(forwardFrames('mac', frames, 1, addresses)).toBe(1);
    expect([...frames[0]!.subarray(0, 6)]).toEqual([...PEER]);
    expect([...frames[0]!.subarray(6, 12)]).toEqual([...PORT]);
  });

  it('rxonly and txonly forward nothing received', () => {
    expect(forwardFrames('rxonly', [frame(1, 2)], 1, addresses)).toBe(0);
    expect(forwardFrames('txonly', [frame(1, 2)], 1, addresses)).toBe(0);
  });

  it('leaves runt frames alone rather than writing past them', () => {
    const runt = Uint8Array.of(1, 2, 3);
    expect(forwardFrames('macswap', [runt], 1, addresses)).toBe(1);
    expect([...runt]).toEqual([1, 2, 3]);
  });
});
