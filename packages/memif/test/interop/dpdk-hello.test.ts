// A dpdk-testpmd client against our master's HELLO (issue #19): DPDK 22.11 clamps its ring
// counts to what HELLO announces (num = min(its queues, max + 1)), so a client with more queues
// than our master connects with our counts instead of being refused with "Invalid ring index".
import { describe, expect, it } from 'vitest';
import { nextEvent, uniqueSocketPath } from '../helpers.ts';
import { interopFixtures } from './interop-fixtures.ts';

const { node, testpmd } = interopFixtures();

describe('a dpdk-testpmd client and the counts our master announces', () => {
  it.each([
    [2, 1, 1],
    [1, 2, 1],
    [2, 2, 2],
  ])('client with %i queue pairs, master with %i: connects with %i ring(s) each way', async (clientQueues, masterQueues, rings) => {
    const socket = uniqueSocketPath(`hello-dpdk-${clientQueues}-${masterQueues}`);
    const iface = node({ role: 'master', socket, socketAbstract: false, rxQueues: masterQueues, txQueues: masterQueues });
    const errors: string[] = [];
    iface.on('error', (error) => errors.push(error.message));
    const connected = nextEvent<[{ peerName: string }]>(iface, 'connected', 30_000);
    const pmd = await testpmd(`net_memif0,role=client,socket=${socket},socket-abstract=no`, [
      '--forward-mode=rxonly',
      `--rxq=${clientQueues}`,
      `--txq=${clientQueues}`,
    ]);
    const [info] = await connected;
    expect(info.peerName).toMatch(/^DPDK /);
    expect({ rx: iface.rxQueueCount, tx: iface.txQueueCount }).toEqual({ rx: rings, tx: rings });
    expect(await pmd.command('show port info 0', /Max possible TX queues/)).toContain('Link status: up');
    expect(errors).toEqual([]);
  });
});
