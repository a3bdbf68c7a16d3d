import { describe, expect, it } from 'vitest';
import { formatRtt, PingStatistics } from './ping-statistics.ts';

describe('PingStatistics', () => {
  it('prints the summary block as iputils ping does', () => {
    const stats = new PingStatistics();
    stats.transmitted = 4;
    for (const rtt of [0.1, 0.2, 0.3]) stats.addReply(rtt);
    expect(stats.summary('192.168.1.2', 3003.4)).toBe(
      '--- 192.168.1.2 ping statistics ---\n' +
        '4 packets transmitted, 3 received, 25% packet loss, time 3003ms\n' +
        'rtt min/avg/max/mdev = 0.100/0.200/0.300/0.082 ms\n',
    );
  });

  it('leaves out the rtt line without replies', () => {
    const stats = new PingStatistics();
    stats.transmitted = 2;
    expect(stats.summary('10.0.0.1', 1000)).toBe(
      '--- 10.0.0.1 ping statistics ---\n2 packets transmitted, 0 received, 100% packet loss, time 1000ms\n',
    );
  });

  it('counts duplicates and corrupted replies apart, in iputils order', () => {
    const stats = new PingStatistics();
    stats.transmitted = 2;
    stats.addReply(0.5);
    stats.duplicates = 1;
    stats.corrupted = 2;
    expect(stats.summary('10.0.0.1', 1000)).toContain(
      '2 packets transmitted, 1 received, +1 duplicates, +2 corrupted, 50% packet loss, time 1000ms\n',
    );
  });

  it('rounds times like ping', () => {
    expect([formatRtt(0.12345), formatRtt(2.345), formatRtt(23.45), formatRtt(234.5)]).toEqual(['0.123', '2.35', '23.4', '235']);
  });
});
