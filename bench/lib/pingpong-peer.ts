/**
 * One side of the Node <-> Node round-trip benchmark, run as its own process:
 *   node --import tsx bench/lib/pingpong-peer.ts <echo|ping|ping-api> <socket> <interrupt|adaptive|polling> <count> [ids] [warm-up]
 * `echo` (master) sends every frame back; `ping` (slave) sends one 64-byte frame at a time and
 * times the reply with the burst API (`ping`) or the one most users take, `await send()` and
 * `frames()` (`ping-api`), after `warm-up` untimed round trips (default 5000): the first
 * thousands of a fresh process run while V8 still compiles the path on a background thread, which
 * on two cores competes with the two spinning processes and puts 40-60 µs and millisecond stalls
 * in the samples, a start-up cost rather than the steady state this measures. Interrupt and
 * adaptive modes wait for the 'readable' event (from the eventfd, or from adaptive mode's polling
 * after traffic); polling mode spins on rxBurst, yielding to the event loop every few thousand
 * empty polls. `ping` prints one JSON line of round-trip times in nanoseconds.
 */
import { createInterface, type MemifInterface, ReceiveBatch } from '../../packages/memif/dist/index.js';

const [role = 'echo', socket = '/tmp/pingpong.sock', rxMode = 'interrupt', countText = '2000', idsText = '1', warmUpText = '5000'] =
  process.argv.slice(2);
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
} else if (role === 'ping-api') {
  iface.once('connected', async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const replies = iface.frames(0)[Symbol.asyncIterator]();
    const frame = new Uint8Array(64).fill(0x5a);
    const samples: number[] = [];
    const warmUp = Number(warmUpText);
    for (let i = 0; i < Number(countText) + warmUp; i++) {
      const t0 = process.hrtime.bigint();
      await iface.send(frame);
      const reply = await replies.next();
      const t1 = process.hrtime.bigint();
      if (reply.done === true) break;
      if (i >= warmUp) samples.push(Number(t1 - t0));
    }
    process.stdout.write(`${JSON.stringify({ samples })}\n`);
    await iface.close();
    process.exit(0);
  });
} else {
  const count = Number(countText);
  const frame = new Uint8Array(64).fill(0x5a);
  const frames = [frame];
  const samples: number[] = [];
  const waitReadable = (): Promise<void> => new Promise((resolve) => iface.once('readable', () => resolve()));
  iface.once('connected', async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const warmUp = Number(warmUpText);
    for (let i = 0; i < count + warmUp; i++) {
      const t0 = process.hrtime.bigint();
      iface.txBurst(0, frames, 1);
      let got = 0;
      if (polling) {
        // Gives up on a lost reply after about 100 ms, reading the clock only every 4096 polls:
        // a clock read per poll allocates a BigInt per poll, and the collections that causes land
        // in the samples.
        for (let polls = 1; ; polls++) {
          got = iface.rxBurst(0, batch);
          if (got > 0) break;
          if ((polls & 4095) === 0 && process.hrtime.bigint() - t0 > 100_000_000n) break;
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
      if (i >= warmUp) samples.push(Number(t1 - t0));
      // Let the event loop breathe (control channel) without adding to the timed part.
      if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    process.stdout.write(`${JSON.stringify({ samples })}\n`);
    await iface.close();
    process.exit(0);
  });
}
