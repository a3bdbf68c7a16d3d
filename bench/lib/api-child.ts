/**
 * The "API" section's measuring side: a Node slave of a dpdk-testpmd server, pinned by the parent
 * to its own core, that runs each API method in turn for `windowMs` after `warmupMs` and counts
 * frames. Alternates the methods round after round so drifting load hits them alike.
 *   node bench/lib/api-child.ts <rx|tx> <size> <socket> <windowMs> <warmupMs> <rounds>
 * rx (testpmd txonly floods us): rxBurst loop (plain and copying), for await frames(), for await
 * bursts(), stream 'data'. tx (testpmd rxonly drains us): txBurst loop, await send() loop, stream
 * write() honouring drain. At 64 B also the floors of `api-floors.ts`, which touch no ring.
 * Prints one JSON line: { method: [frames per second per round] }.
 */
import { createInterface, type MemifInterface, ReceiveBatch } from '../../packages/memif/dist/index.js';
import { InMemoryFrames, InMemorySink, RX_FLOOR, TX_FLOOR } from './api-floors.ts';
import { RX_COPY_REFERENCE } from './api-methods.ts';

const [direction = 'rx', sizeArg = '64', socket = '', windowArg = '1000', warmupArg = '300', roundsArg = '3'] = process.argv.slice(2);
const size = Number(sizeArg);
const windowMs = Number(windowArg);
const warmupMs = Number(warmupArg);
const rounds = Number(roundsArg);
const only = process.env.BENCH_API_METHODS?.split(',');

const iface: MemifInterface = createInterface({
  role: 'slave',
  id: 0,
  socket,
  socketAbstract: false,
  rxMode: 'polling',
  reconnectInterval: 20,
});
await new Promise<void>((resolve) => (iface.connected ? resolve() : iface.once('connected', () => resolve())));

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs `body` until `warmupMs + windowMs` passed; `body` counts frames into `counter.n` and stops
 * when `counter.stop` is set. Returns frames per second over the window only.
 */
async function measure(body: (counter: { n: number; stop: boolean }) => Promise<void>): Promise<number> {
  const counter = { n: 0, stop: false };
  let atStart = 0;
  let t0 = 0;
  let atEnd = 0;
  let t1 = 0;
  const windowStart = setTimeout(() => {
    atStart = counter.n;
    t0 = performance.now();
  }, warmupMs);
  const windowEnd = setTimeout(() => {
    atEnd = counter.n;
    t1 = performance.now();
    counter.stop = true;
  }, warmupMs + windowMs);
  await body(counter);
  clearTimeout(windowStart);
  clearTimeout(windowEnd);
  // Drain what the method left behind so the next one starts from an empty ring.
  const batch = new ReceiveBatch(64);
  for (let i = 0; i < 64; i++) {
    iface.rxBurst(0, batch);
    iface.rxRelease(0);
  }
  await turn();
  return ((atEnd - atStart) * 1000) / Math.max(1e-9, t1 - t0);
}

const rx: Record<string, () => Promise<number>> = {
  'rxBurst loop': () =>
    measure(async (c) => {
      const batch = new ReceiveBatch(64);
      while (!c.stop) {
        // The burst loop lets the event loop turn every 256 bursts, so the window timers fire.
        for (let i = 0; i < 256; i++) {
          c.n += iface.rxBurst(0, batch);
          iface.rxRelease(0);
        }
        await turn();
      }
    }),
  // Frames up to 2048 bytes (the sizes this bench runs) each get their own place in the scratch.
  [RX_COPY_REFERENCE]: () =>
    measure(async (c) => {
      const batch = new ReceiveBatch(64);
      const scratch = new Uint8Array(64 * 2048);
      while (!c.stop) {
        for (let i = 0; i < 256; i++) {
          const got = iface.rxBurst(0, batch);
          for (let f = 0; f < got; f++) batch.copyFrame(f, scratch, f * 2048);
          c.n += got;
          iface.rxRelease(0);
        }
        await turn();
      }
    }),
  // The floors copy each frame into an array of its own, as frames() does up to 64 bytes only.
  ...(size <= 64 && {
    [RX_FLOOR]: () =>
      measure(async (c) => {
        for await (const frame of new InMemoryFrames(size)) {
          if (frame.length > 0) c.n++;
          if (c.stop) break;
        }
      }),
  }),
  'for await frames()': () =>
    measure(async (c) => {
      for await (const frame of iface.frames()) {
        if (frame.length > 0) c.n++;
        if (c.stop) break;
      }
    }),
  'for await bursts()': () =>
    measure(async (c) => {
      for await (const batch of iface.bursts()) {
        c.n += batch.count;
        if (c.stop) break;
      }
    }),
  "createStream 'data'": () =>
    measure(async (c) => {
      const stream = iface.createStream();
      await new Promise<void>((resolve) => {
        stream.on('data', () => {
          c.n++;
          if (c.stop) {
            stream.destroy();
            resolve();
          }
        });
      });
    }),
};

const frames = Array.from({ length: 32 }, () => new Uint8Array(size).fill(0x5a));
const tx: Record<string, () => Promise<number>> = {
  'txBurst loop': () =>
    measure(async (c) => {
      while (!c.stop) {
        for (let i = 0; i < 256; i++) c.n += iface.txBurst(0, frames, 32);
        await turn();
      }
    }),
  ...(size <= 64 && {
    [TX_FLOOR]: () =>
      measure(async (c) => {
        const sink = new InMemorySink(size);
        const frame = frames[0] as Uint8Array;
        while (!c.stop) {
          await sink.send(frame);
          c.n++;
        }
      }),
  }),
  'await send() loop': () =>
    measure(async (c) => {
      const frame = frames[0] as Uint8Array;
      while (!c.stop) {
        await iface.send(frame);
        c.n++;
      }
    }),
  'createStream write() honouring drain': () =>
    measure(async (c) => {
      const stream = iface.createStream();
      const frame = frames[0] as Uint8Array;
      while (!c.stop) {
        c.n++;
        if (!stream.write(frame)) await new Promise((resolve) => stream.once('drain', resolve));
      }
      stream.destroy();
    }),
};

const methods = direction === 'rx' ? rx : tx;
const results: Record<string, number[]> = {};
for (let round = 0; round < rounds; round++) {
  for (const [k, [name, run]] of Object.entries(methods).entries()) {
    // BENCH_API_METHODS narrows the run (e.g. to profile one method); the references and floors stay.
    const yardstick = k === 0 || name === RX_COPY_REFERENCE || name === RX_FLOOR || name === TX_FLOOR;
    if (!yardstick && only !== undefined && !only.some((o) => name.includes(o))) continue;
    const rates = results[name] ?? [];
    results[name] = rates;
    rates.push(await run());
  }
}
process.stdout.write(`${JSON.stringify(results)}\n`);
await iface.close();
process.exit(0);
