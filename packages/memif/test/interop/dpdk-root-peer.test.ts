// The DPDK under test may run in a Debian root (scripts/ensure-dpdk-root.sh). That root must stay
// safe to delete with `rm -rf` at any moment: testpmd gets /proc and /sys in a private mount
// namespace of its own, so the host never sees a mount under the root, not even while it runs.
import { readFileSync } from 'node:fs';
import { DpdkPeer } from '@memif/test-kit';
import { describe, expect, it } from 'vitest';
import { uniqueSocketPath } from '../helpers.ts';
import { interopFixtures } from './interop-fixtures.ts';

const { testpmd } = interopFixtures();
const peer = DpdkPeer.fromEnv();

function mountsUnder(root: string): string[] {
  return readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((point) => point === root || point.startsWith(`${root}/`));
}

if (peer.root !== undefined) {
  const root = peer.root;
  describe(`${peer.label} in the root ${root}`, () => {
    it('runs with no mount under the root visible to the host, during the run and after it', async () => {
      const socket = uniqueSocketPath('root-peer');
      expect(socket.startsWith(`${root}/tmp/`)).toBe(true);
      const pmd = await testpmd(`net_memif0,role=server,id=0,socket=${socket},socket-abstract=no`);
      expect(pmd.version).toBe(peer.version);
      expect(mountsUnder(root)).toEqual([]);
      await pmd.stop();
      expect(mountsUnder(root)).toEqual([]);
    });
  });
} else {
  describe(`${peer.label} on the host`, () => {
    it('reports the version the host testpmd prints', async () => {
      const pmd = await testpmd(`net_memif0,role=server,id=0,socket=${uniqueSocketPath('host-peer')},socket-abstract=no`);
      expect(pmd.version).toBe(peer.version);
      expect(peer.version).toMatch(/^\d+\.\d+/);
    });
  });
}
