// A dpdk-testpmd zero-copy client with more than 4 GiB of memory (`-m 4200`): its memseg region
// is 4200 MiB, a legal u64 size that used to crash us (a double free in the addon). Node 20 can
// expose at most 4 GiB as one ArrayBuffer, so there the region is refused with a reason; from
// Node 22 on the limit is 2^53 − 1 and the region maps. Either way, nothing crashes and DPDK
// keeps running. One test, serial, short: the peer reserves 4200 MiB of address space.
import { Mapping } from '@memif/shm-native';
import { describe, expect, it } from 'vitest';
import type { MemifError } from '../../src/index.ts';
import { nextEvent, uniqueSocketPath, waitUntil } from '../helpers.ts';
import { payloadIntact, roundTrip } from './ethernet-frames.ts';
import { interopFixtures } from './interop-fixtures.ts';

const { node, testpmd } = interopFixtures();
const MIB = 2 ** 20;

describe('zero-copy against a dpdk-testpmd client with -m 4200', () => {
  it('maps its 4200 MiB memseg region within the runtime limit, or refuses it by name, and survives', async () => {
    const socket = uniqueSocketPath('zc-large');
    const iface = node({ role: 'master', socket, socketAbstract: false });
    const errors: MemifError[] = [];
    iface.on('error', (error) => errors.push(error as MemifError));
    const ticks = { count: 0 };
    const timer = setInterval(() => ticks.count++, 20);
    try {
      // --single-file-segments gives the memseg list one fd to share (DPDK >= 25.11 refuses it
      // together with --no-huge; there, use hugepages or --in-memory instead).
      const pmd = await testpmd(
        `net_memif0,role=client,socket=${socket},socket-abstract=no,zero-copy=yes`,
        ['--forward-mode=macswap'],
        ['--single-file-segments', '-m', '4200'],
      );
      if (4200 * MIB <= Mapping.maxLength) {
        await nextEvent(iface, 'connected', 30_000);
        const region = iface.details().regions[1];
        expect(region?.size).toBeGreaterThan(2 ** 32);
        await pmd.startForwarding();
        const frames = await roundTrip(iface, 200, () => 1500, 32);
        expect(frames.every((frame, seq) => payloadIntact(frame, seq, 1500))).toBe(true);
      } else {
        await waitUntil(() => errors.some((e) => /mapping limit/.test(e.message)), 30_000, 'the refusal');
        const refusal = errors.find((e) => /mapping limit/.test(e.message));
        expect(refusal?.message).toMatch(
          new RegExp(`connection refused: Region 1 is (\\d+) bytes, over this runtime's ${Mapping.maxLength}-byte mapping limit$`),
        );
        const size = Number(/Region 1 is (\d+) bytes/.exec(refusal?.message ?? '')?.[1]);
        expect(size).toBeGreaterThanOrEqual(4200 * MIB);
        expect(iface.connected).toBe(false);
        expect(iface.state).toBe('listening');
      }
      // Our loop kept turning, and DPDK is still alive and answers.
      const before = ticks.count;
      await waitUntil(() => ticks.count >= before + 5, 5000, 'timer ticks');
      const stats = await pmd.portStats(0);
      expect(stats.rxErrors).toBe(0);
      expect(await pmd.stop()).toBe(0);
    } finally {
      clearInterval(timer);
    }
  }, 90_000);
});
