/**
 * One side of the Node <-> Node round-trip benchmark, run as its own process:
 *   node --import tsx bench/lib/pingpong-peer.ts <echo|ping> <socket> <interrupt|adaptive|polling> <count>
 * `echo` (master) sends every frame back; `ping` (slave) sends one 64-byte frame at a time and
 * times the reply. Interrupt and adaptive modes wait for the 'readable' event (from the eventfd,
 * or from adaptive mode's polling after traffic); polling mode spins on rxBurst, yielding to the
 * event loop every few thousand empty polls. `ping` prints one JSON line of round-trip times in
 * nanoseconds.
 */
import { createInterface, type MemifInterface, ReceiveBatch } from '../../packages/memif/dist/index.js';

const [role = 'echo', socket = '/tmp/pingpong.sock', rxMode = 'interrupt', countText = '2000', idsText = '1'] = process.argv.slice(2);
const polling = rxMode === 'polling';
const make = (id: number): MemifInterface =>
  createInterface({
    role: role === 'echo' ? 'master' : 'slave',
    id,
    socket,
    socketAbstract: false,
    rxMode: rxMode === 'polling' || rxMode === 'adaptive' ? rxMode : 'interrupt',
    reconnectInterval: 20,
  });
const iface = make(0);
// echo with ids > 1 (set-up benchmark): masters 1..ids-1 and 100 too, on the same listener.
const others =
  role === 'echo' && Number(idsText) > 1
    ? [...Array.from({ length: Number(idsText) - 1 }, (_, k) => make(k + 1)), make(100)]
    : role === 'echo'
      ? [make(100)]
      : [];
const batch = new ReceiveBatch(32);
const SPINS = 5000;

if (role === 'echo') {
  const echo = (): number => {
    const got = iface.rxBurst(0, batch);
    if (got > 0) {
      iface.txBatch(0, batch, got);
      iface.rxRelease(0);
    }
    return got;
  };
  if (polling) {
    const spin = (): void => {
      for (let i = 0; i < SPINS; i++) echo();
      setImmediate(spin);
    };
    iface.once('connected', () => setImmediate(spin));
  } else {
    iface.on('readable', () => {
      while (echo() > 0);
    });
  }
  process.stdin.on('end', () => void Promise.all([iface, ...others].map((i) => i.close())).then(() => process.exit(0)));
  process.stdin.resume();
} else {
  const count = Number(countText);
  const frame = new Uint8Array(64).fill(0x5a);
  const frames = [frame];
  const samples: number[] = [];
  const waitReadable = (): Promise<void> => new Promise((resolve) => iface.once('readable', () => resolve()));
  iface.once('connected', async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (let i = 0; i < count + 200; i++) {
      const t0 = process.hrtime.bigint();
      iface.txBurst(0, frames, 1);
      let got = 0;
      if (polling) {
        for (;;) {
          got = iface.rxBurst(0, batch);
          if (got > 0) break;
          if (process.hrtime.bigint() - t0 > 100_000_000n) break;
        }
      } else {
        got = iface.rxBurst(0, batch);
        while (got === 0) {
          await waitReadable();
          got = iface.rxBurst(0, batch);
        }
      }
      const t1 = process.hrtime.bigint();
      if (got > 0) iface.rxRelease(0);
      if (i >= 200) samples.push(Number(t1 - t0));
      // Let the event loop breathe (control channel) without adding to the timed part.
      if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    process.stdout.write(`${JSON.stringify({ samples })}\n`);
    await iface.close();
    process.exit(0);
  });
}
