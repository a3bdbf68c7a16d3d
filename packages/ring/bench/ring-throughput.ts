/**
 * Frames per second through one ring in one process, producer and consumer alternating bursts of
 * 32 (`pnpm --filter @memif/ring bench`). Not a test: figures depend on the machine.
 *
 * - copy: the transmitter copies each frame into the ring buffers and the receiver copies it out.
 * - zero-copy: S2M transmits pooled buffers (descriptor only) and the master reads views; M2S has
 *   the master copy into pool buffers the slave posted, and the slave reads views (a master
 *   always copies, so that is the zero-copy case of M2S).
 */
import {
  BufferPool,
  initializeRegion,
  MasterReceiver,
  MasterTransmitter,
  ReceiveBatch,
  RegionLayout,
  RingType,
  SlaveReceiver,
  SlaveTransmitter,
} from '../src/index.ts';

const BURST = 32;
const WARMUP_MS = 300;
const MEASURE_MS = 1500;

type Mode = 'copy' | 'zero-copy';
type Direction = 'S2M' | 'M2S';

/** Builds one round (a burst each way) for a scenario; returns frames moved by the round. */
function makeRound(mode: Mode, direction: Direction, frameSize: number): () => number {
  const layout = new RegionLayout({
    numS2mRings: 1,
    numM2sRings: 1,
    log2RingSize: 10,
    bufferSize: 2048,
    bufferPlacement: mode === 'copy' ? 'region0' : 'none',
  });
  const region0 = new Uint8Array(layout.regionSizes[0]!);
  const appRegion = new Uint8Array(4096 * 2048);
  const regions = [region0, appRegion];
  const { s2m, m2s } = initializeRegion(layout, regions);
  const frames = Array.from({ length: BURST }, (_, k) => new Uint8Array(frameSize).fill(k));
  const batch = new ReceiveBatch(BURST);
  const scratch = new Uint8Array(2048);
  const pool = new BufferPool({ region: appRegion, regionIndex: 1, bufferSize: 2048 });

  if (direction === 'S2M') {
    const rx = new MasterReceiver({ ring: s2m[0]!, regions });
    if (mode === 'copy') {
      const tx = new SlaveTransmitter({ ring: s2m[0]!, regions, buffers: layout.slotBuffers(RingType.S2M, 0) });
      return () => {
        tx.transmit(frames);
        const got = rx.receive(batch);
        for (let f = 0; f < got; f++) batch.copyFrame(f, scratch);
        rx.release();
        return got;
      };
    }
    const tx = new SlaveTransmitter({ ring: s2m[0]!, regions, pool });
    const buffers = new Int32Array(BURST);
    const lengths = new Uint32Array(BURST).fill(frameSize);
    return () => {
      tx.reclaim();
      for (let k = 0; k < BURST; k++) buffers[k] = pool.alloc();
      tx.transmitPooled(buffers, lengths);
      const got = rx.receive(batch);
      let sink = 0;
      for (let f = 0; f < got; f++) {
        const segment = batch.frameFirstSegment(f);
        sink += batch.segmentBytes(segment)[batch.segmentOffset(segment)] ?? 0;
      }
      rx.release();
      return got + (sink & 0);
    };
  }
  const tx = new MasterTransmitter({ ring: m2s[0]!, regions });
  const rx =
    mode === 'copy'
      ? new SlaveReceiver({ ring: m2s[0]!, regions, buffers: layout.slotBuffers(RingType.M2S, 0) })
      : new SlaveReceiver({ ring: m2s[0]!, regions, pool });
  rx.refill();
  return () => {
    tx.transmit(frames);
    const got = rx.receive(batch);
    if (mode === 'copy') for (let f = 0; f < got; f++) batch.copyFrame(f, scratch);
    rx.release();
    return got;
  };
}

function measure(round: () => number): number {
  const run = (ms: number): [number, number] => {
    let frames = 0;
    const start = performance.now();
    let now = start;
    while (now - start < ms) {
      for (let k = 0; k < 256; k++) frames += round();
      now = performance.now();
    }
    return [frames, (now - start) / 1000];
  };
  run(WARMUP_MS);
  const [frames, seconds] = run(MEASURE_MS);
  return frames / seconds;
}

const rows: string[][] = [];
for (const frameSize of [64, 1500]) {
  for (const mode of ['copy', 'zero-copy'] as const) {
    for (const direction of ['S2M', 'M2S'] as const) {
      const pps = measure(makeRound(mode, direction, frameSize));
      rows.push([String(frameSize), mode, direction, (pps / 1e6).toFixed(2), ((pps * frameSize * 8) / 1e9).toFixed(2)]);
    }
  }
}
const header = ['frame B', 'mode', 'ring', 'Mpps', 'Gbit/s'];
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
const line = (cells: string[]): string => cells.map((cell, c) => cell.padStart(widths[c]!)).join('  ');
console.log(`one ring, bursts of ${BURST}, log2 ring size 10, buffer 2048, ${MEASURE_MS} ms per row after ${WARMUP_MS} ms warm-up`);
console.log(line(header));
for (const row of rows) console.log(line(row));
