// Every frame a send reported as sent is received by the peer or counted as lost with the
// connection (lostOnDisconnect), across random restarts of the peer and disconnects from our side,
// in both directions, with sequence numbers checking order.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SequencedTraffic } from '@memif/test-kit';
import { describe, expect, it } from 'vitest';
import { type QueueCounters, ReceiveBatch } from '../../src/index.ts';
import { uniqueSocketPath, waitUntil } from '../helpers.ts';
import { iface, onCleanup } from './fixture.ts';

const script = fileURLToPath(new URL('./accounting-peer.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../../node_modules/tsx/dist/loader.mjs', import.meta.url));

interface Report {
  type: string;
  sent: number;
  received: number;
  outOfOrder: number;
  txLost: number;
  rxLost: number;
  rxDropped: number;
  txPackets: number;
}

class Child {
  readonly process: ChildProcess;
  readonly reports: Report[] = [];
  constructor(options: object) {
    this.process = fork(script, [JSON.stringify(options)], { execArgv: ['--import', tsx], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.process.on('message', (m: Report) => this.reports.push(m));
    onCleanup(() => this.process.kill('SIGKILL'));
  }
  async next(type: string, after: number): Promise<Report> {
    await waitUntil(() => this.reports.slice(after).some((r) => r.type === type), 20_000, `the child's '${type}'`);
    return this.reports.slice(after).find((r) => r.type === type) as Report;
  }
}

const random = (() => {
  let x = 0x5eed;
  return () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x / 0x80000000;
  };
})();

describe('accounting across restarts', () => {
  it('sent = received + dropped + lostOnDisconnect, both ways, frames in order', async () => {
    const socket = uniqueSocketPath('acct');
    const master = iface({ role: 'master', id: 1, socket, socketAbstract: false, log2RingSize: 8 });
    const traffic = new SequencedTraffic(master, { firstSeq: 0, batch: new ReceiveBatch(64), burst: 8 });
    traffic.start();
    onCleanup(() => traffic.stop());

    let lostToChild = 0;
    let lostFromChild = 0;
    let childSent = 0;
    let childReceived = 0;
    let childOutOfOrder = 0;
    let droppedByChild = 0;
    const tx = (): QueueCounters => master.details().tx[0] as QueueCounters;
    const rx = (): QueueCounters => master.details().rx[0] as QueueCounters;
    let restarts = 0;
    let ourDisconnects = 0;
    for (let generation = 0; generation < 4; generation++) {
      const child = new Child({
        role: 'slave',
        id: 1,
        socket,
        socketAbstract: false,
        log2RingSize: 8,
        reconnectInterval: 20,
        rxMode: 'polling',
        firstSeq: 1e9 * (generation + 1),
      });
      let previous = { txLost: 0, rxLost: 0 };
      for (let round = 0; round < 3; round++) {
        await waitUntil(() => master.connected, 20_000, 'the child to connect');
        await new Promise((resolve) => setTimeout(resolve, 50 + random() * 250));
        if (round === 2) break;
        // We disconnect: the child tears down last, so its counts of what was left are the true ones.
        const mark = child.reports.length;
        master.disconnect('accounting test');
        ourDisconnects++;
        const r = await child.next('disconnected', mark);
        lostToChild += r.rxLost - previous.rxLost;
        lostFromChild += r.txLost - previous.txLost;
        previous = r;
      }
      // The child closes: we tear down last, so our counts of what was left are the true ones.
      const beforeTx = tx().lostOnDisconnect;
      const beforeRx = rx().lostOnDisconnect;
      const mark = child.reports.length;
      const disconnected = new Promise((resolve) => master.once('disconnected', resolve));
      child.process.send({ type: 'close' });
      const final = await child.next('closed', mark);
      await disconnected;
      restarts++;
      lostToChild += tx().lostOnDisconnect - beforeTx;
      lostFromChild += rx().lostOnDisconnect - beforeRx;
      childSent += final.sent;
      childReceived += final.received;
      childOutOfOrder += final.outOfOrder;
      droppedByChild += final.rxDropped;
      expect(final.txPackets).toBe(final.sent);
    }
    traffic.stop();
    const { sent, received } = traffic;
    expect(restarts).toBe(4);
    expect(ourDisconnects).toBe(8);
    expect(tx().packets).toBe(sent);
    expect(sent).toBeGreaterThan(1000);
    expect(childSent).toBeGreaterThan(1000);
    expect({ sent, accounted: childReceived + droppedByChild + lostToChild }).toEqual({ sent, accounted: sent });
    expect({ sent: childSent, accounted: received + rx().dropped + lostFromChild }).toEqual({ sent: childSent, accounted: childSent });
    expect(traffic.outOfOrder + traffic.corrupt + childOutOfOrder).toBe(0);
    // Frames were really in flight at the disconnects: the counting above was exercised.
    expect(lostToChild + lostFromChild).toBeGreaterThan(0);
  }, 120_000);
});
