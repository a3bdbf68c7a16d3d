// The child of accounting.test.ts: a slave moving numbered frames both ways as fast as the rings
// allow; it reports its counts when a connection ends and, on 'close', after closing its
// interface, so its final counts include what was lost with the connection.
import { SequencedTraffic } from '@memif/test-kit';
import { createInterface, type MemifOptions, ReceiveBatch } from '../../src/index.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as MemifOptions & { firstSeq: number };
const { firstSeq, ...memif } = options;
const iface = createInterface(memif);
iface.on('error', () => {});
iface.on('connected', () => process.send?.({ type: 'connected' }));
iface.on('disconnected', () => report('disconnected'));
const traffic = new SequencedTraffic(iface, { firstSeq, batch: new ReceiveBatch(64), burst: 8 });
traffic.start();

function report(type: string): void {
  const d = iface.details();
  process.send?.({
    type,
    sent: traffic.sent,
    received: traffic.received,
    outOfOrder: traffic.outOfOrder + traffic.corrupt,
    txLost: d.tx[0]?.lostOnDisconnect ?? 0,
    rxLost: d.rx[0]?.lostOnDisconnect ?? 0,
    rxDropped: d.rx[0]?.dropped ?? 0,
    txPackets: d.tx[0]?.packets ?? 0,
  });
}

process.on('message', (cmd: { type: string }) => {
  if (cmd.type !== 'close') return;
  traffic.stop();
  void iface.close().then(() => {
    report('closed');
    process.disconnect?.();
  });
});
// Should the test die first, do not live on as an orphan.
process.on('disconnect', () => setTimeout(() => process.exit(0), 100).unref());
process.send?.({ type: 'ready' });
