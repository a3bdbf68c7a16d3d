import { decodeArp, IcmpType } from '@memif/frame';
import { describe, expect, it } from 'vitest';
import { summarizeFrame } from './frame-summary.ts';
import { PingFrameBuilder } from './ping-frame-builder.ts';

const mac = Uint8Array.from([0x02, 0, 0, 0, 0, 1]);
const builder = new PingFrameBuilder('ethernet', mac, 0xc0a80101);

describe('summarizeFrame', () => {
  it('decodes ARP requests and replies', () => {
    expect(summarizeFrame(builder.arpRequest(0xc0a80102), 'ethernet')).toBe(
      '02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ARP, Request who-has 192.168.1.2 tell 192.168.1.1, length 60',
    );
    const reply = builder.arpReply(Uint8Array.from([2, 0, 0, 0, 0, 2]), 0xc0a80102);
    expect(decodeArp(reply, 14)?.operation).toBe(2);
    expect(summarizeFrame(reply, 'ethernet')).toContain('ARP, Reply 192.168.1.1 is-at 02:00:00:00:00:01');
  });

  it('decodes ICMP echo in ethernet and ip modes', () => {
    const echo = { type: IcmpType.EchoRequest, identifier: 77, sequence: 3, payload: new Uint8Array(56) } as const;
    expect(summarizeFrame(builder.echo(echo, Uint8Array.from([2, 0, 0, 0, 0, 2]), 0xc0a80102), 'ethernet')).toBe(
      '02:00:00:00:00:01 > 02:00:00:00:00:02, IPv4, 192.168.1.1 > 192.168.1.2: ICMP echo request id 77 seq 3, length 98',
    );
    const ipOnly = new PingFrameBuilder('ip', mac, 0x0a000001).echo(echo, new Uint8Array(6), 0x0a000002);
    expect(summarizeFrame(ipOnly, 'ip')).toBe('IPv4, 10.0.0.1 > 10.0.0.2: ICMP echo request id 77 seq 3, length 84');
  });

  it('shows UDP ports, IPv6 addresses, VLANs and unknown EtherTypes', () => {
    const udp = new Uint8Array(64);
    udp.set([
      2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00, 0x45, 0, 0, 50, 0, 0, 0, 0, 64, 17, 0, 0, 198, 18, 0, 1, 198, 18, 0, 2, 0, 9, 0, 53,
    ]);
    expect(summarizeFrame(udp, 'ethernet')).toBe(
      '02:00:00:00:00:01 > 02:00:00:00:00:02, IPv4, 198.18.0.1:9 > 198.18.0.2:53: UDP, length 64',
    );
    const v6 = new Uint8Array(14 + 40 + 8);
    v6.set([0x86, 0xdd], 12);
    v6.set([0x60, 0, 0, 0, 0, 8, 17, 64], 14);
    v6.set([0xfe, 0x80], 22);
    v6[37] = 1;
    v6.set([0xfe, 0x80], 38);
    v6[53] = 2;
    expect(summarizeFrame(v6, 'ethernet')).toContain('IPv6, [fe80::1]:0 > [fe80::2]:0: UDP');
    const vlan = new Uint8Array(60);
    vlan.set([0x81, 0x00, 0x00, 0x64, 0x88, 0xcc], 12);
    expect(summarizeFrame(vlan, 'ethernet')).toContain(', vlan 100, ethertype 0x88cc, length 60');
    expect(summarizeFrame(new Uint8Array(5), 'ethernet')).toBe('runt frame, length 5');
  });
});
