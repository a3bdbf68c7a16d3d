import type { BufferPlacement } from '../src/index.ts';
import {
  initializeRegion,
  MasterReceiver,
  MasterTransmitter,
  RegionLayout,
  RingType,
  SlaveReceiver,
  SlaveTransmitter,
} from '../src/index.ts';

export interface PairOptions {
  log2RingSize?: number;
  bufferSize?: number;
  startIndex?: number;
  maxChain?: number;
  bufferPlacement?: BufferPlacement;
}

/** One region set shared by a slave-side and a master-side pair of endpoints, as after CONNECTED. */
export function makePair(options: PairOptions = {}) {
  const layout = new RegionLayout({
    numS2mRings: 1,
    numM2sRings: 1,
    log2RingSize: options.log2RingSize ?? 3,
    bufferSize: options.bufferSize ?? 64,
    bufferPlacement: options.bufferPlacement ?? 'region0',
  });
  const regions = layout.regionSizes.map((size) => new Uint8Array(new ArrayBuffer(size)));
  const rings = initializeRegion(layout, regions);
  const s2m = rings.s2m[0]!;
  const m2s = rings.m2s[0]!;
  s2m.resetIndices(options.startIndex ?? 0);
  m2s.resetIndices(options.startIndex ?? 0);
  const chain = options.maxChain === undefined ? {} : { maxChain: options.maxChain };
  const slaveTx = new SlaveTransmitter({ ring: s2m, regions, buffers: layout.slotBuffers(RingType.S2M, 0), ...chain });
  const masterRx = new MasterReceiver({ ring: s2m, regions, ...chain });
  const slaveRx = new SlaveReceiver({ ring: m2s, regions, buffers: layout.slotBuffers(RingType.M2S, 0), ...chain });
  const masterTx = new MasterTransmitter({ ring: m2s, regions, ...chain });
  slaveRx.refill();
  return { layout, regions, s2m, m2s, slaveTx, masterRx, slaveRx, masterTx };
}

/** A frame whose bytes name it: byte k of frame `id` is a function of both. */
export function makeFrame(id: number, length: number): Uint8Array {
  const frame = new Uint8Array(length);
  for (let k = 0; k < length; k++) frame[k] = (id * 131 + k * 7 + (k >> 8)) & 0xff;
  return frame;
}
