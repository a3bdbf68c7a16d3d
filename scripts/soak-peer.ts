// The far side of `pnpm soak`: one memif interface in a child process moving numbered frames both
// ways as fast as it can, writing its counts to a file after every burst so that they survive a
// `kill -9`. Started by scripts/soak.ts; not meant to be run by hand.
import { openSync, writeSync } from 'node:fs';
import { type MemifRole, ReceiveBatch } from '../packages/memif/src/index.ts';
import { SequencedTraffic } from '../tools/test-kit/src/sequenced-traffic.ts';
import { soakInterface } from './soak-interface.ts';

const [role, socket, countersPath, firstSeq] = process.argv.slice(2) as [MemifRole, string, string, string];
const iface = soakInterface(role, socket);
iface.on('error', () => {});

// [sent, received, out of order or corrupt, rx dropped]: rewritten whole after every burst.
const counters = new Float64Array(4);
const countersFd = openSync(countersPath, 'w');
const traffic = new SequencedTraffic(iface, {
  firstSeq: Number(firstSeq),
  batch: new ReceiveBatch(64),
  onProgress: () => {
    counters[0] = traffic.sent;
    counters[1] = traffic.received;
    counters[2] = traffic.outOfOrder + traffic.corrupt;
    writeSync(countersFd, new Uint8Array(counters.buffer), 0, counters.byteLength, 0);
  },
});
// Drops are counted by the ring (an honest parent causes none); refreshed now and then.
setInterval(() => {
  counters[3] = iface.details().rx[0]?.dropped ?? 0;
}, 100);
traffic.start();
// The soak kills us; should the soak itself die, do not live on as an orphan.
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });
