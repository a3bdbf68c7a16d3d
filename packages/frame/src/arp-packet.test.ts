import { describe, expect, it } from 'vitest';
import { ARP_PACKET_SIZE, ArpOperation, decodeArp, encodeArp, isEthernetIpv4Arp } from './arp-packet.ts';
import { parseIpv4 } from './ipv4-address.ts';

const mac = Uint8Array.from([0x02, 0xfe, 0x00, 0x00, 0x00, 0x01]);

describe('ARP packets', () => {
  it('encodes a request byte for byte as RFC 826 lays it out', () => {
    const bytes = new Uint8Array(ARP_PACKET_SIZE);
    encodeArp(
      {
        operation: ArpOperation.Request,
        senderMac: mac,
        senderIp: parseIpv4('192.168.1.1')!,
        targetMac: new Uint8Array(6),
        targetIp: parseIpv4('192.168.1.2')!,
      },
      bytes,
      0,
    );
    expect([...bytes]).toEqual([
      0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01, 0x02, 0xfe, 0x00, 0x00, 0x00, 0x01, 192, 168, 1, 1, 0, 0, 0, 0, 0, 0, 192, 168, 1, 2,
    ]);
  });

  it('round-trips at an offset', () => {
    const bytes = new Uint8Array(14 + ARP_PACKET_SIZE);
    const packet = {
      operation: ArpOperation.Reply,
      senderMac: mac,
      senderIp: 0x0a000001,
      targetMac: Uint8Array.from([1, 2, 3, 4, 5, 6]),
      targetIp: 0x0a000002,
    };
    encodeArp(packet, bytes, 14);
    const decoded = decodeArp(bytes, 14);
    expect(decoded?.operation).toBe(ArpOperation.Reply);
    expect([...(decoded?.senderMac ?? [])]).toEqual([...mac]);
    expect(decoded?.senderIp).toBe(0x0a000001);
    expect([...(decoded?.targetMac ?? [])]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(decoded?.targetIp).toBe(0x0a000002);
  });

  it('refuses short packets and other hardware/protocol types', () => {
    expect(decodeArp(new Uint8Array(27), 0)).toBeUndefined();
    const bytes = new Uint8Array(ARP_PACKET_SIZE);
    encodeArp({ operation: 1, senderMac: mac, senderIp: 1, targetMac: mac, targetIp: 2 }, bytes, 0);
    bytes[3] = 0xdd; // protocol 0x08dd
    expect(decodeArp(bytes, 0)).toBeUndefined();
  });
});

describe('isEthernetIpv4Arp', () => {
  it('accepts a whole Ethernet/IPv4 packet and nothing else', () => {
    const bytes = new Uint8Array(ARP_PACKET_SIZE);
    encodeArp({ operation: ArpOperation.Request, senderMac: mac, senderIp: 1, targetMac: mac, targetIp: 2 }, bytes, 0);
    expect(isEthernetIpv4Arp(bytes, 0)).toBe(true);
    expect(isEthernetIpv4Arp(bytes.subarray(0, 27), 0)).toBe(false);
    const otherLengths = bytes.slice();
    otherLengths[5] = 16; // IPv6-sized protocol addresses
    expect(isEthernetIpv4Arp(otherLengths, 0)).toBe(false);
  });
});
