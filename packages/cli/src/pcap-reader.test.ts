import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LinkType } from './pcap-format.ts';
import { PcapFormatError } from './pcap-format-error.ts';
import { parsePcap } from './pcap-reader.ts';
import { encodePcapGlobalHeader, PcapWriter } from './pcap-writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'memif-cli-pcap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pcap files', () => {
  it('writes the libpcap global header byte for byte', () => {
    expect([...encodePcapGlobalHeader(LinkType.Ethernet, 65535)]).toEqual([
      0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0,
    ]);
    expect(encodePcapGlobalHeader(LinkType.RawIp)[20]).toBe(101);
  });

  it('round-trips records: timestamps, lengths, bytes, snaplen cuts', () => {
    const file = join(dir, 'round-trip.pcap');
    const writer = new PcapWriter(file, LinkType.Ethernet, 100);
    const small = Uint8Array.from({ length: 60 }, (_, i) => i);
    const large = new Uint8Array(150).fill(7);
    writer.write(small, 1_700_000_000_123_456);
    writer.write(large, 1_700_000_001_000_001);
    writer.close();
    const bytes = readFileSync(file);
    expect(bytes.length).toBe(24 + 16 + 60 + 16 + 100);
    // The first record header, little-endian: ts_sec, ts_usec, incl_len, orig_len.
    const view = new DataView(bytes.buffer, bytes.byteOffset + 24, 16);
    expect([view.getUint32(0, true), view.getUint32(4, true), view.getUint32(8, true), view.getUint32(12, true)]).toEqual([
      1_700_000_000, 123_456, 60, 60,
    ]);
    const parsed = parsePcap(bytes);
    expect(parsed).toMatchObject({ linkType: 1, snaplen: 100, versionMajor: 2, versionMinor: 4 });
    expect(parsed.records.map((r) => [r.timestampMicros, r.originalLength, r.data.length])).toEqual([
      [1_700_000_000_123_456, 60, 60],
      [1_700_000_001_000_001, 150, 100],
    ]);
    expect([...(parsed.records[0]?.data ?? [])]).toEqual([...small]);
  });

  it('flushes across its buffer for many frames', () => {
    const file = join(dir, 'many.pcap');
    const writer = new PcapWriter(file, LinkType.Ethernet);
    for (let i = 0; i < 2000; i++) writer.write(new Uint8Array(1500).fill(i & 0xff), i);
    writer.close();
    const records = parsePcap(readFileSync(file)).records;
    expect(records.length).toBe(2000);
    expect(records[1999]?.data[0]).toBe(1999 & 0xff);
  });

  it('reads big-endian and nanosecond files', () => {
    const bytes = new Uint8Array(24 + 16 + 4);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, 0xa1b23c4d, false);
    view.setUint16(4, 2, false);
    view.setUint16(6, 4, false);
    view.setUint32(16, 65535, false);
    view.setUint32(20, 101, false);
    view.setUint32(24, 10, false);
    view.setUint32(28, 5_000, false);
    view.setUint32(32, 4, false);
    view.setUint32(36, 4, false);
    const parsed = parsePcap(bytes);
    expect(parsed.linkType).toBe(LinkType.RawIp);
    expect(parsed.records[0]?.timestampMicros).toBe(10_000_005);
  });

  it('names what is wrong with a bad file', () => {
    expect(() => parsePcap(new Uint8Array(10))).toThrow(PcapFormatError);
    expect(() => parsePcap(Uint8Array.from([0x0a, 0x0d, 0x0d, 0x0a, ...new Uint8Array(20)]))).toThrow(/pcapng/);
    const truncated = new Uint8Array(24 + 16);
    truncated.set(encodePcapGlobalHeader(1));
    new DataView(truncated.buffer).setUint32(32, 64, true);
    expect(() => parsePcap(truncated)).toThrow(/record 1 claims 64 bytes/);
  });

  it('is read by tcpdump (installed by scripts/test.sh)', () => {
    const file = join(dir, 'tcpdump.pcap');
    const writer = new PcapWriter(file, LinkType.Ethernet);
    writer.write(new Uint8Array(60), 1);
    writer.close();
    expect(spawnSync('tcpdump', ['-r', file], { encoding: 'utf8' }).status).toBe(0);
  });
});
