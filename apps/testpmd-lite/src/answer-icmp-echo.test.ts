import { describe, expect, it } from 'vitest';
import { answerIcmpEcho } from './answer-icmp-echo.ts';

const PORT = Uint8Array.of(0x02, 0xfe, 0, 0, 0, 0x01);
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const bytes = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));

/** An independent RFC 1071 sum, so the test does not check the code with itself. */
function sumsToZero(data: Uint8Array, offset: number, length: number): boolean {
  let sum = 0;
  for (let i = 0; i < length; i += 2) sum += (data[offset + i]! << 8) + (data[offset + i + 1] ?? 0);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return sum === 0xffff;
}

// `arping -I veth0 10.0.0.2` from 52:54:00:12:34:56 / 10.0.0.1: broadcast who-has, padded to 60 bytes.
const ARP_REQUEST = bytes(`
  ffffffffffff 525400123456 0806
  0001 0800 06 04 0001 525400123456 0a000001 000000000000 0a000002
  000000000000000000000000000000000000`);

// `ping -c1 10.0.0.2` from 10.0.0.1: id 0x1c2b, seq 1, 8 bytes of data; checksums as the kernel set them.
const ECHO_REQUEST = bytes(`
  02fe00000001 525400123456 0800
  4500 0024 d431 4000 4001 52a5 0a000001 0a000002
  0800 cfc3 1c2b 0001 0001020304050607`);

describe('answerIcmpEcho', () => {
  it('the request fixtures carry valid checksums', () => {
    expect(sumsToZero(ECHO_REQUEST, 14, 20)).toBe(true);
    expect(sumsToZero(ECHO_REQUEST, 34, 16)).toBe(true);
  });

  it('answers an ARP request for any address from the port MAC', () => {
    const frame = ARP_REQUEST.slice();
    expect(answerIcmpEcho(frame, PORT)).toBe(true);
    expect(hex(frame.subarray(0, 42))).toBe(
      '525400123456' +
        '02fe00000001' +
        '0806' +
        '0001' +
        '0800' +
        '06' +
        '04' +
        '0002' + // reply
        '02fe00000001' +
        '0a000002' + // sender: us, with the address asked for
        '525400123456' +
        '0a000001', // target: the requester
    );
  });

  it('ignores ARP replies and other protocols', () => {
    const reply = ARP_REQUEST.slice();
    reply[21] = 2;
    expect(answerIcmpEcho(reply, PORT)).toBe(false);
    const ipv6 = ECHO_REQUEST.slice();
    ipv6[12] = 0x86;
    ipv6[13] = 0xdd;
    expect(answerIcmpEcho(ipv6, PORT)).toBe(false);
  });

  it('turns an ICMP echo request into the reply with correct checksums', () => {
    const frame = ECHO_REQUEST.slice();
    expect(answerIcmpEcho(frame, PORT)).toBe(true);
    expect(hex(frame)).toBe(
      '525400123456' +
        '02fe00000001' +
        '0800' +
        '4500' +
        '0024' +
        'd431' +
        '4000' +
        '4001' +
        '52a5' +
        '0a000002' +
        '0a000001' +
        '0000' +
        'd7c3' +
        '1c2b' +
        '0001' +
        '0001020304050607',
    );
    expect(sumsToZero(frame, 14, 20)).toBe(true);
    expect(sumsToZero(frame, 34, 16)).toBe(true);
  });

  it('answers a multicast echo from a unicast neighbour address and re-sums the IP header', () => {
    const frame = ECHO_REQUEST.slice();
    frame.set([224, 0, 0, 1], 30);
    frame.set([0, 0], 24);
    let sum = 0;
    for (let i = 14; i < 34; i += 2) sum += (frame[i]! << 8) + frame[i + 1]!;
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    frame.set([(~sum >> 8) & 0xff, ~sum & 0xff], 24);
    expect(answerIcmpEcho(frame, PORT)).toBe(true);
    expect(hex(frame.subarray(26, 34))).toBe('0a000002' + '0a000001');
    expect(sumsToZero(frame, 14, 20)).toBe(true);
    expect(sumsToZero(frame, 34, 16)).toBe(true);
  });

  it('drops truncated frames without reading past them', () => {
    expect(answerIcmpEcho(ECHO_REQUEST.slice(0, 40), PORT)).toBe(false);
    expect(answerIcmpEcho(ARP_REQUEST.slice(0, 30), PORT)).toBe(false);
    expect(answerIcmpEcho(new Uint8Array(10), PORT)).toBe(false);
  });
});
