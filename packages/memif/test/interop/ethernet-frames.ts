import type { MemifInterface } from '../../src/index.ts';

/** Ethernet frames that carry a sequence number after the header, so MAC rewrites keep it. */
export const DST = [0x02, 0, 0, 0, 0, 0x02];
export const SRC = [0x02, 0, 0, 0, 0, 0x01];
const ETHERTYPE_LOCAL = 0x88b5;

export function ethernetFrame(seq: number, length: number): Uint8Array {
  const frame = new Uint8Array(length);
  frame.set(DST, 0);
  frame.set(SRC, 6);
  const view = new DataView(frame.buffer);
  view.setUint16(12, ETHERTYPE_LOCAL);
  view.setUint32(14, seq, true);
  for (let i = 18; i < length; i++) frame[i] = (seq + i) & 0xff;
  return frame;
}

export function sequenceOf(frame: Uint8Array): number {
  return new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(14, true);
}

/** Whether `frame` is frame `seq` of `length` bytes, MACs aside. */
export function payloadIntact(frame: Uint8Array, seq: number, length: number): boolean {
  if (frame.length !== length || sequenceOf(frame) !== seq) return false;
  for (let i = 18; i < length; i++) if (frame[i] !== ((seq + i) & 0xff)) return false;
  return true;
}

/** Collects received frames into `frames` until it holds `count` or `timeoutMs` passed. */
export async function collect(iface: MemifInterface, count: number, timeoutMs = 20_000, frames: Uint8Array[] = []): Promise<Uint8Array[]> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    for await (const frame of iface.frames(0, { signal: abort.signal })) {
      frames.push(frame);
      if (frames.length === count) break;
    }
  } catch (error) {
    // The timeout: the caller compares what arrived with what it expected.
    if ((error as Error).name !== 'AbortError') throw error;
  } finally {
    clearTimeout(timer);
  }
  return frames;
}

/** Sends frames `first..first+count` of `length` bytes, waiting for ring space. */
export async function sendSequence(
  iface: MemifInterface,
  count: number,
  length: number | ((seq: number) => number),
  first = 0,
): Promise<void> {
  for (let seq = first; seq < first + count; seq++) {
    await iface.send(ethernetFrame(seq, typeof length === 'number' ? length : length(seq)));
  }
}

/**
 * Sends `count` frames and collects as many back (through a forwarding peer), keeping at most
 * `window` in flight: a forwarder such as testpmd io drops what does not fit our receive ring.
 */
export async function roundTrip(
  iface: MemifInterface,
  count: number,
  length: (seq: number) => number,
  window = 256,
  timeoutMs = 30_000,
): Promise<Uint8Array[]> {
  const frames: Uint8Array[] = [];
  const receiving = collect(iface, count, timeoutMs, frames);
  const deadline = Date.now() + timeoutMs;
  for (let seq = 0; seq < count; seq++) {
    while (seq - frames.length >= window && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
    await iface.send(ethernetFrame(seq, length(seq)));
  }
  await receiving;
  return frames;
}
