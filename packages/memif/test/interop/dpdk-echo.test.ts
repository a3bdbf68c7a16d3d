import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import type { MemifInterface } from '../../src/index.ts';
import { nextEvent, uniqueSocketPath } from '../helpers.ts';
import { ethernetFrame, payloadIntact } from './ethernet-frames.ts';
import { interopFixtures } from './interop-fixtures.ts';

const { node, testpmd } = interopFixtures();
const COUNT = 100_000;
const SIZES = [64, 1500, 128, 9000, 60];
const sizeOf = (seq: number): number => SIZES[seq % SIZES.length] ?? 64;

/** A Node slave of a dpdk-testpmd macswap server, forwarding from after its start banner. */
async function macswapPeer(
  label: string,
): Promise<{ iface: MemifInterface; stats: () => Promise<{ rxPackets: number; txPackets: number }> }> {
  const socket = uniqueSocketPath(label);
  const pmd = await testpmd(`net_memif0,role=server,id=0,socket=${socket},socket-abstract=no`, ['--forward-mode=macswap']);
  const iface = node({ role: 'slave', socket, socketAbstract: false, reconnectInterval: 100 });
  await nextEvent(iface, 'connected', 30_000);
  // 'connected' means the memif link is up; testpmd forwards only once `start` has drained.
  await pmd.startForwarding();
  return { iface, stats: () => pmd.portStats(0) };
}

/** Waits for `promise` at most `ms`: a lost frame then fails on the count, not on the test timeout. */
function within(promise: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]).finally(() => clearTimeout(timer));
}

/** Checks frames in arrival order: every one back, intact, in order. */
function checker(): { check(frame: Uint8Array): void; readonly received: number; readonly problems: string[] } {
  let received = 0;
  const problems: string[] = [];
  return {
    check(frame) {
      if (!payloadIntact(frame, received, sizeOf(received)) && problems.length < 5)
        problems.push(`frame ${received}: ${frame.length} bytes`);
      received++;
    },
    get received() {
      return received;
    },
    problems,
  };
}

describe('the easy API against dpdk-testpmd --forward-mode=macswap', () => {
  it(`gets all ${COUNT} frames back with one task awaiting send() and another reading frames()`, async () => {
    const { iface, stats } = await macswapPeer('echo-send');
    const got = checker();
    const reading = (async () => {
      for await (const frame of iface.frames()) {
        got.check(frame);
        if (got.received === COUNT) break;
      }
    })();
    for (let seq = 0; seq < COUNT; seq++) await iface.send(ethernetFrame(seq, sizeOf(seq)));
    await within(reading, 30_000);
    expect(got.received).toBe(COUNT);
    expect(got.problems).toEqual([]);
    expect(await stats()).toMatchObject({ rxPackets: COUNT, txPackets: COUNT });
    expect(iface.details().rx[0]).toMatchObject({ packets: COUNT, dropped: 0 });
  });

  it(`gets all ${COUNT} frames back through createStream() with pipeline()`, async () => {
    const { iface, stats } = await macswapPeer('echo-stream');
    const stream = iface.createStream();
    const got = checker();
    async function* source(): AsyncGenerator<Uint8Array> {
      for (let seq = 0; seq < COUNT; seq++) yield ethernetFrame(seq, sizeOf(seq));
    }
    const sending = pipeline(Readable.from(source()), stream);
    const receiving = pipeline(
      stream,
      new Writable({
        objectMode: true,
        write(frame: Uint8Array, _encoding, callback) {
          got.check(frame);
          callback(got.received === COUNT ? new Error('done') : null);
        },
      }),
    ).catch((error: Error) => {
      if (error.message !== 'done') throw error;
    });
    // The reader ends the Duplex once it has every frame: the writing pipeline sees that end.
    const written = sending.catch((error: Error & { code?: string }) =>
      error.message === 'done' || error.code === 'ERR_STREAM_PREMATURE_CLOSE' ? undefined : Promise.reject(error),
    );
    await within(Promise.all([written, receiving]), 90_000);
    expect(got.received).toBe(COUNT);
    expect(got.problems).toEqual([]);
    expect(await stats()).toMatchObject({ rxPackets: COUNT, txPackets: COUNT });
  });
});
