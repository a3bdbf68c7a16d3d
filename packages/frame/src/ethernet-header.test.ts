import { describe, expect, it } from 'vitest';
import {
  ETHERNET_HEADER_SIZE,
  EtherType,
  networkHeaderOffset,
  readEthernetHeader,
  sameMac,
  writeEthernetHeader,
} from './ethernet-header.ts';

const a = Uint8Array.of(2, 0, 0, 0, 0, 1);
const b = Uint8Array.of(2, 0, 0, 0, 0, 2);

describe('Ethernet header', () => {
  it('writes and reads destination, source and EtherType', () => {
    const frame = new Uint8Array(60);
    expect(writeEthernetHeader(frame, { destination: a, source: b, etherType: EtherType.Arp })).toBe(ETHERNET_HEADER_SIZE);
    expect([...frame.subarray(0, 14)]).toEqual([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x06]);
    const header = readEthernetHeader(frame);
    expect(header?.etherType).toBe(EtherType.Arp);
    expect(sameMac(header!.destination, a) && sameMac(header!.source, b)).toBe(true);
    expect(readEthernetHeader(frame.subarray(0, 13))).toBeUndefined();
  });

  it('finds the network header behind one VLAN tag, and says -1 when the frame is too short', () => {
    const frame = new Uint8Array(60);
    writeEthernetHeader(frame, { destination: a, source: b, etherType: EtherType.Ipv4 });
    expect(networkHeaderOffset(frame)).toBe(14);
    frame.set([0x81, 0x00, 0x00, 0x05, 0x08, 0x00], 12);
    expect(networkHeaderOffset(frame)).toBe(18);
    expect(networkHeaderOffset(frame.subarray(0, 17))).toBe(-1);
    expect(networkHeaderOffset(frame.subarray(0, 13))).toBe(-1);
  });
});
