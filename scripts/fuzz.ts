// `pnpm fuzz`: property runs far longer than the unit suite's, against what a hostile peer
// controls: the control-message codec (any bytes), both handshake machines (any message
// sequence, any fds) and the ring descriptor validators (any ring contents and indices).
// Each property must hold on every run; the script prints runs and time per property.
//
//   node --import tsx scripts/fuzz.ts --runs 200000 [--seed N]

import { parseArgs } from 'node:util';
import fc from 'fast-check';
import {
  decodeMsg,
  encodeMsg,
  type HandshakeAction,
  MasterHandshake,
  type Msg,
  ProtocolError,
  SlaveHandshake,
} from '../packages/protocol/src/index.ts';
import { anyMsg } from '../packages/protocol/test/arbitraries.ts';
import { layoutFor } from '../packages/protocol/test/handshake-driver.ts';
import {
  initializeRegion,
  MasterReceiver,
  MasterTransmitter,
  ReceiveBatch,
  RegionLayout,
  RingType,
  RingView,
  ringBytes,
  SlaveReceiver,
} from '../packages/ring/src/index.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '200000' }, seed: { type: 'string' } } });
const numRuns = Number(values.runs);
const seed = values.seed === undefined ? Date.now() % 0x7fffffff : Number(values.seed);
const results: Array<{ property: string; runs: number; seconds: number }> = [];

function check(name: string, property: fc.IProperty<never> | fc.IPropertyWithHooks<never>, runs = numRuns): void {
  const started = performance.now();
  fc.assert(property as fc.IProperty<unknown>, { numRuns: runs, seed });
  const seconds = (performance.now() - started) / 1000;
  results.push({ property: name, runs, seconds: +seconds.toFixed(1) });
  console.log(`ok  ${name}: ${runs} runs in ${seconds.toFixed(1)} s`);
}

// ---- codec ----

let unterminatedStrings = 0;

const datagram = fc.oneof(
  fc.uint8Array({ minLength: 0, maxLength: 160 }),
  // Mostly 128 bytes with a known type, so decoding gets past the header.
  fc
    .tuple(fc.integer({ min: 0, max: 9 }), fc.uint8Array({ minLength: 126, maxLength: 126 }))
    .map(([type, rest]) => Uint8Array.of(type, 0, ...rest)),
);

check(
  'decodeMsg(any bytes) returns a message that re-encodes canonically, or throws ProtocolError/RangeError',
  fc.property(datagram, (bytes) => {
    let msg: Msg;
    try {
      msg = decodeMsg(bytes);
    } catch (error) {
      if (ProtocolError.isInstance(error) || error instanceof RangeError) return;
      throw error;
    }
    let encoded: Uint8Array;
    try {
      encoded = encodeMsg(msg);
    } catch (error) {
      // A string field whose bytes are not UTF-8 decodes with U+FFFD replacement characters, which
      // can need more bytes than the field holds: lenient on input, strict on output. Counted, not
      // a failure.
      if (ProtocolError.isInstance(error) && error.code === 'ERR_MEMIF_FIELD_STRING') {
        unterminatedStrings++;
        return;
      }
      throw error;
    }
    const again = decodeMsg(encoded);
    if (JSON.stringify(again) !== JSON.stringify(msg)) throw new Error(`not canonical: ${JSON.stringify(msg)}`);
  }) as never,
);
console.log(`    (${unterminatedStrings} inputs had a string field that is not UTF-8: decoded, not re-encodable)`);

check(
  'decodeMsg(encodeMsg(m)) equals m for every valid message',
  fc.property(anyMsg, (msg) => {
    const again = decodeMsg(encodeMsg(msg));
    if (JSON.stringify(again) !== JSON.stringify(msg)) throw new Error(`round trip changed ${JSON.stringify(msg)}`);
  }) as never,
);

// ---- handshake machines ----

/** The honest slave's side of a handshake (master's answers aside), as the wire carries it. */
const init: Msg = { type: 3, version: 0x200, id: 5, mode: 0, secret: 'pw', name: 'peer' };
const honest: Msg[] = [
  init,
  { type: 4, index: 0, size: 1 << 16 },
  { type: 5, flags: 1, index: 0, region: 0, offset: 0, log2RingSize: 10, privateHdrSize: 0 },
  { type: 5, flags: 0, index: 0, region: 0, offset: 16_512, log2RingSize: 10, privateHdrSize: 0 },
  { type: 6, ifName: 'x' },
  // What a master sends, for the slave machine (and as out-of-place input for the master).
  { type: 2, name: 'h', minVersion: 0x200, maxVersion: 0x200, maxRegion: 255, maxM2sRing: 255, maxS2mRing: 255, maxLog2RingSize: 14 },
  { type: 1 },
  { type: 7, ifName: 'm' },
];
/** An honest message with one numeric field pushed to a small or extreme value. */
const mutated = fc
  .tuple(fc.constantFrom(...honest), fc.nat(), fc.constantFrom(0, 1, 2, 15, 16, 255, 256, 0xffff))
  .map(([msg, pick, value]) => {
    const keys = Object.keys(msg).filter((k) => k !== 'type' && typeof (msg as unknown as Record<string, unknown>)[k] === 'number');
    const key = keys[pick % Math.max(1, keys.length)];
    return (key === undefined ? msg : { ...msg, [key]: value }) as Msg;
  });
const plausible = fc.oneof(anyMsg, fc.constantFrom(...honest), mutated);
const sequence = fc.array(fc.record({ msg: plausible, withFd: fc.boolean() }), { maxLength: 16 });

/** Feeds `messages`; checks no throw, every fd handed back once, nothing but fd closes after 'closed'. */
function drive(
  machine: { receive(msg: Msg, fd?: number): HandshakeAction[]; state: string },
  first: HandshakeAction[],
  messages: Array<{ msg: Msg; withFd: boolean }>,
  onAction: (a: HandshakeAction) => HandshakeAction[],
): void {
  const actions = [...first];
  const given: number[] = [];
  let fd = 100;
  for (const { msg, withFd } of messages) {
    const attached = withFd ? fd++ : undefined;
    if (attached !== undefined) given.push(attached);
    const out = machine.receive(msg, attached);
    for (const a of out) actions.push(a, ...onAction(a));
  }
  const returned = actions.flatMap((a) => ('fd' in a ? [a.fd] : [])).sort((a, b) => a - b);
  if (JSON.stringify(returned) !== JSON.stringify(given)) throw new Error(`fds given ${given}, handed back ${returned}`);
  const closedAt = actions.findIndex((a) => a.kind === 'closed');
  if (closedAt >= 0 && actions.slice(closedAt + 1).some((a) => a.kind !== 'closeFd')) throw new Error('actions after closed');
}

check(
  'MasterHandshake under any message sequence: no throw, fds conserved, silent after close',
  fc.property(sequence, (messages) => {
    const master = new MasterHandshake({
      appName: 'fuzz',
      lookup: (id) =>
        id === 5
          ? { status: 'available', config: { mode: 0, secret: 'pw', maxS2mRings: 2, maxM2sRings: 2, ifName: 'm' } }
          : { status: 'not-found' },
    });
    drive(master, master.start(), messages, (a) => (a.kind === 'verify' ? master.confirmConnected() : []));
  }) as never,
);

check(
  'SlaveHandshake under any message sequence: no throw, fds conserved, silent after close',
  fc.property(sequence, (messages) => {
    const slave = new SlaveHandshake({
      appName: 'fuzz',
      ifName: 's',
      id: 5,
      mode: 0,
      secret: 'pw',
      numS2mRings: 1,
      numM2sRings: 1,
      log2RingSize: 10,
    });
    drive(slave, [], messages, (a) => (a.kind === 'negotiated' ? slave.prepared(layoutFor(a.params)) : []));
  }) as never,
);

// ---- ring validators ----

const ringContents = fc.record({
  log2: fc.integer({ min: 1, max: 6 }),
  regionExtra: fc.integer({ min: 0, max: 8192 }),
  descriptors: fc.uint8Array({ minLength: 16 * 64, maxLength: 16 * 64 }),
  head: fc.integer({ min: 0, max: 0xffff }),
  tail: fc.integer({ min: 0, max: 0xffff }),
  polls: fc.integer({ min: 1, max: 4 }),
});

/** A region holding one ring at offset 0 plus `extra` bytes, descriptors and indices as given. */
function hostileRing(c: { log2: number; regionExtra: number; descriptors: Uint8Array; head: number; tail: number }): {
  region: Uint8Array;
  ring: RingView;
} {
  const region = new Uint8Array(ringBytes(c.log2) + c.regionExtra);
  const ring = new RingView(region, 0, c.log2);
  ring.initializeHeader();
  region.set(c.descriptors.subarray(0, 16 * ring.size), 128);
  ring.storeHead(c.head);
  ring.storeTail(c.tail);
  return { region, ring };
}

/** Every segment handed out lies inside a region: the validators' one promise. */
function segmentsInBounds(batch: ReceiveBatch, regions: readonly Uint8Array[]): void {
  for (let f = 0; f < batch.count; f++) {
    const first = batch.frameFirstSegment(f);
    for (let s = first; s < first + batch.frameSegmentCount(f); s++) {
      const bytes = batch.segmentBytes(s);
      const end = batch.segmentOffset(s) + batch.segmentLength(s);
      if (!regions.includes(bytes) || end > bytes.byteLength) throw new Error(`segment ${s} ends at ${end} past ${bytes.byteLength}`);
    }
    batch.copyFrame(f, new Uint8Array(batch.frameLength(f)));
  }
}

check(
  'MasterReceiver on any ring contents: no throw, segments inside regions',
  fc.property(ringContents, (c) => {
    const { region, ring } = hostileRing(c);
    const regions = [region, new Uint8Array(100)];
    ring.storeTail(c.tail);
    const receiver = new MasterReceiver({ ring, regions, maxDescLength: 9216 });
    const batch = new ReceiveBatch(16);
    for (let p = 0; p < c.polls; p++) {
      receiver.receive(batch);
      segmentsInBounds(batch, regions);
      receiver.release();
    }
  }) as never,
);

check(
  'SlaveReceiver on a master that rewrites descriptors and tail: no throw, segments inside regions',
  fc.property(ringContents, (c) => {
    const layout = new RegionLayout({ numS2mRings: 0, numM2sRings: 1, log2RingSize: c.log2, bufferSize: 256 });
    const region = new Uint8Array(layout.regionSizes[0] as number);
    const ring = initializeRegion(layout, [region]).m2s[0] as RingView;
    const receiver = new SlaveReceiver({ ring, regions: [region], buffers: layout.slotBuffers(RingType.M2S, 0) });
    receiver.refill();
    region.set(c.descriptors.subarray(0, 16 * ring.size), layout.ringOffset(RingType.M2S, 0) + 128);
    ring.storeTail(c.tail);
    const batch = new ReceiveBatch(16);
    for (let p = 0; p < c.polls; p++) {
      receiver.receive(batch);
      segmentsInBounds(batch, [region]);
      receiver.release();
    }
  }) as never,
);

check(
  'MasterTransmitter on any posted slots: no throw, never writes outside a region',
  fc.property(ringContents, fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 8 }), (c, sizes) => {
    const { region, ring } = hostileRing(c);
    const transmitter = new MasterTransmitter({ ring, regions: [region] });
    const frames = sizes.map((n) => new Uint8Array(n).fill(0xab));
    for (let p = 0; p < c.polls; p++) transmitter.transmit(frames);
  }) as never,
);

console.log(JSON.stringify({ seed, results, totalSeconds: +results.reduce((s, r) => s + r.seconds, 0).toFixed(1) }, null, 2));
