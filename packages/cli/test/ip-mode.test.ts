import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeIcmp, IcmpType, readIpv4Header } from '@memif/frame';
import { createInterface, type MemifInterface } from '@memif/memif';
import { describe, expect, it } from 'vitest';
import { parsePcap } from '../src/pcap-reader.ts';
import { PingFrameBuilder } from '../src/ping-frame-builder.ts';
import { cleanupsAfterEach } from './cleanups-after-each.ts';
import { removeSocket, runCli, uniqueSocketPath } from './cli-process.ts';

const PEER_IP = 0x0a000002;

/** A Node master in `mode=ip` that answers echo requests to 10.0.0.2 and counts what it gets. */
function startIpEchoServer(socket: string): MemifInterface {
  const server = createInterface({ role: 'server', socket, socketAbstract: false, mode: 'ip' });
  server.on('error', () => {});
  const frames = new PingFrameBuilder('ip', new Uint8Array(6), PEER_IP);
  void (async () => {
    for await (const packet of server.frames()) {
      const ip = readIpv4Header(packet, 0);
      if (ip === undefined || ip.destination !== PEER_IP) continue;
      const icmp = decodeIcmp(packet, ip.headerLength, ip.totalLength);
      if (icmp?.type !== IcmpType.EchoRequest) continue;
      const payload = packet.slice(ip.headerLength + 8, ip.totalLength);
      server.trySend(
        frames.echo(
          { type: IcmpType.EchoReply, identifier: icmp.identifier, sequence: icmp.sequence, payload },
          new Uint8Array(6),
          ip.source,
        ),
      );
    }
  })();
  return server;
}

/**
 * A Node master in `mode=ip` that answers echo requests as libmemif's icmp_responder example
 * does: addresses swapped and the type set to echo reply, but the ICMP checksum left as it was
 * (wrong now; the IP header checksum stays right, as swapping addresses keeps its sum).
 */
function startBadChecksumEchoServer(socket: string): MemifInterface {
  const server = createInterface({ role: 'server', socket, socketAbstract: false, mode: 'ip' });
  server.on('error', () => {});
  void (async () => {
    for await (const packet of server.frames()) {
      const ip = readIpv4Header(packet, 0);
      if (ip === undefined || ip.destination !== PEER_IP) continue;
      if (decodeIcmp(packet, ip.headerLength, ip.totalLength)?.type !== IcmpType.EchoRequest) continue;
      const reply = packet.slice(0, ip.totalLength);
      reply.set(packet.subarray(16, 20), 12);
      reply.set(packet.subarray(12, 16), 16);
      reply[ip.headerLength] = IcmpType.EchoReply;
      server.trySend(reply);
    }
  })();
  return server;
}

describe('ip mode (bare IP packets, no ARP) against a Node master', { timeout: 60_000 }, () => {
  const cleanups = cleanupsAfterEach();

  it('pings without ARP', async () => {
    const socket = uniqueSocketPath('ip-ping');
    const server = startIpEchoServer(socket);
    cleanups.push(
      () => server.close(),
      () => removeSocket(socket),
    );
    const result = await runCli([
      'ping',
      '--socket',
      socket,
      '--socket-abstract',
      'no',
      '--mode',
      'ip',
      '--ip',
      '10.0.0.1/8',
      '-c',
      '2',
      '-i',
      '0.1',
      '-s',
      '100',
      '10.0.0.2',
    ]);
    expect(result.stdout).toContain('PING 10.0.0.2 (10.0.0.2) 100(128) bytes of data.');
    expect(result.stdout).toMatch(/^108 bytes from 10\.0\.0\.2: icmp_seq=2 ttl=64 time=/m);
    expect(result.stdout).toMatch(/^2 packets transmitted, 2 received, 0% packet loss/m);
    expect(result.code).toBe(0);
  });

  it('shows replies with a bad ICMP checksum as iputils ping does, marked (BAD CHECKSUM!)', async () => {
    const socket = uniqueSocketPath('ip-bad-checksum');
    const server = startBadChecksumEchoServer(socket);
    cleanups.push(
      () => server.close(),
      () => removeSocket(socket),
    );
    const result = await runCli([
      'ping',
      '--socket',
      socket,
      '--socket-abstract',
      'no',
      '--mode',
      'ip',
      '--ip',
      '10.0.0.1/8',
      '-c',
      '3',
      '-i',
      '0.1',
      '-W',
      '1',
      '10.0.0.2',
    ]);
    const lines = [...result.stdout.matchAll(/^64 bytes from 10\.0\.0\.2: icmp_seq=(\d) ttl=64 time=\d+(\.\d+)? ms \(BAD CHECKSUM!\)$/gm)];
    expect(lines.map((m) => m[1])).toEqual(['1', '2', '3']);
    // iputils counts them apart: not received (no rtt), "+N corrupted" in the summary.
    expect(result.stdout).toMatch(/^3 packets transmitted, 0 received, \+3 corrupted, 100% packet loss, time \d+ms$/m);
    expect(result.stdout).not.toContain('rtt min/avg/max/mdev');
    expect(result.code).toBe(1);
  });

  it('captures raw IP (link type 101)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memif-cli-ip-'));
    const socket = uniqueSocketPath('ip-capture');
    const server = createInterface({ role: 'server', socket, socketAbstract: false, mode: 'ip' });
    server.on('error', () => {});
    cleanups.push(
      () => rmSync(dir, { recursive: true, force: true }),
      () => server.close(),
      () => removeSocket(socket),
    );
    const sender = new PingFrameBuilder('ip', new Uint8Array(6), PEER_IP);
    const timer = setInterval(
      () =>
        server.trySend(
          sender.echo(
            { type: IcmpType.EchoRequest, identifier: 1, sequence: 1, payload: new Uint8Array(8) },
            new Uint8Array(6),
            0x0a000001,
          ),
        ),
      20,
    );
    cleanups.push(() => clearInterval(timer));
    const file = join(dir, 'ip.pcap');
    const result = await runCli(['capture', '--socket', socket, '--socket-abstract', 'no', '--mode', 'ip', '-c', '3', '-w', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d\d:\d\d:\d\d\.\d{6} IPv4, 10\.0\.0\.2 > 10\.0\.0\.1: ICMP echo request id 1 seq 1, length 36$/m);
    const pcap = parsePcap(readFileSync(file));
    expect(pcap.linkType).toBe(101);
    expect(pcap.records).toHaveLength(3);
    expect(pcap.records[0]?.data[0]).toBe(0x45);
  });
});
