import { ReceiveBatch } from '@memif/ring';
import { HostileMaster, isSession, type MasterSession, ring } from '@memif/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { createInterface, type MemifInterface, type MemifOptions } from '../src/index.ts';
import { uniqueSocketPath, waitUntil } from './helpers.ts';

const cleanups: Array<() => unknown> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * Our slave connected to a test-kit master that maps its regions: the master's receiver shows
 * each descriptor exactly as the slave wrote it.
 */
async function connectedPair(slaveOptions: MemifOptions): Promise<{ master: MasterSession; slave: MemifInterface }> {
  const socket = uniqueSocketPath('segments');
  const hostile = HostileMaster.listen({ path: socket });
  cleanups.push(() => hostile.close());
  const slave = createInterface({ role: 'slave', socket, socketAbstract: false, ...slaveOptions });
  cleanups.push(() => slave.close());
  const served = await hostile.serve();
  if (!isSession(served)) throw new Error('the handshake did not complete');
  cleanups.push(() => served.close());
  await waitUntil(() => slave.details().state === 'connected', 10_000, 'the slave to connect');
  return { master: served, slave };
}

function frame(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, k) => (k * 7 + seed) & 0xff);
}

/** The segment lengths of the next frame the master receives, and the frame. */
async function receiveOne(master: MasterSession): Promise<{ segments: number[]; bytes: Uint8Array }> {
  const receiver = master.receiver();
  const batch = new ring.ReceiveBatch(1);
  await waitUntil(() => receiver.receive(batch, 1) > 0, 10_000, 'a frame');
  const first = batch.frameFirstSegment(0);
  const segments = Array.from({ length: batch.frameSegmentCount(0) }, (_, k) => batch.segmentLength(first + k));
  const bytes = new Uint8Array(batch.frameLength(0));
  batch.copyFrame(0, bytes);
  receiver.release();
  return { segments, bytes };
}

describe('a slave never puts more than 2048 bytes in a descriptor unless told to', () => {
  it('splits an 8000-byte frame with bufferSize 4096 into descriptors of at most 2048 bytes', async () => {
    const { master, slave } = await connectedPair({ bufferSize: 4096 });
    expect(slave.trySend(frame(8000, 1))).toBe(true);
    const { segments, bytes } = await receiveOne(master);
    expect(segments).toEqual([2048, 2048, 2048, 1856]);
    expect(bytes).toEqual(frame(8000, 1));
  });

  it('fills whole 4096-byte buffers with fillWholeBuffers (for VPP, libmemif and Node masters)', async () => {
    const { master, slave } = await connectedPair({ bufferSize: 4096, fillWholeBuffers: true });
    expect(slave.trySend(frame(8000, 2))).toBe(true);
    const { segments, bytes } = await receiveOne(master);
    expect(segments).toEqual([4096, 3904]);
    expect(bytes).toEqual(frame(8000, 2));
  });

  it('applies the same limit to a zero-copy slave, whose frames larger than one buffer are chained across pool buffers', async () => {
    const { master, slave } = await connectedPair({ zeroCopy: true, bufferSize: 1024 });
    expect(slave.trySend(frame(3000, 3))).toBe(true);
    expect(slave.txBurst(0, [frame(2500, 4)])).toBe(1);
    await slave.send(frame(3000, 5));
    const received = [await receiveOne(master), await receiveOne(master), await receiveOne(master)];
    expect(received[0]!.segments).toEqual([1024, 1024, 952]);
    expect(received.map((r) => r.bytes)).toEqual([frame(3000, 3), frame(2500, 4), frame(3000, 5)]);
  });

  it('splits a zero-copy pool buffer of 4096 bytes into two descriptors inside it, with no copy', async () => {
    const { master, slave } = await connectedPair({ zeroCopy: true, bufferSize: 4096 });
    const pool = slave.pool!;
    const buffer = pool.alloc();
    pool.view(buffer).set(frame(3000, 6));
    expect(slave.txPooledBurst(0, [buffer], [3000])).toBe(1);
    const { segments, bytes } = await receiveOne(master);
    expect(segments).toEqual([2048, 952]);
    expect(bytes).toEqual(frame(3000, 6));
  });
});

describe('a master that writes more than the slave posted (DPDK >= 23.03 tx fast path)', () => {
  it('drops such frames and tells the user once, with the fix, in a warning event and details()', async () => {
    const { master, slave } = await connectedPair({ bufferSize: 1024 });
    const warnings: Array<{ code: string; message: string }> = [];
    slave.on('warning', (warning) => warnings.push(warning));
    const m2s = master.rings.m2s[0]!;
    // What DPDK >= 23.03 does with 1500-byte frames: one descriptor each, into 1024-byte slots.
    for (let slot = 0; slot < 3; slot++) m2s.writeDesc(slot, 0, m2s.descRegion(slot), 1500, m2s.descOffset(slot));
    m2s.storeTail(3);
    master.eventfds.m2s[0]!.write(1);
    const batch = new ReceiveBatch(4);
    // The application reads as usual: nothing comes out, the drops are counted.
    await waitUntil(
      () => slave.rxBurst(0, batch) === 0 && slave.details().rx[0]!.badLength === 3,
      10_000,
      'the three frames to be dropped',
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.code).toBe('MEMIF_OVERSIZE_DESCRIPTOR');
    expect(warnings[0]!.message).toMatch(/a 1500-byte descriptor into a 1024-byte buffer on rx queue 0/);
    expect(warnings[0]!.message).toMatch(/bufferSize 2048 or more/);
    expect(warnings[0]!.message).toMatch(/bsize=/);
    expect(slave.details().warnings).toEqual([warnings[0]!.message]);
    expect(slave.details().state).toBe('connected');
  });

  it('prints a process warning when the application does not listen', async () => {
    const { master, slave } = await connectedPair({ bufferSize: 1024 });
    const printed: Error[] = [];
    const onWarning = (warning: Error): void => void printed.push(warning);
    process.on('warning', onWarning);
    cleanups.push(() => process.off('warning', onWarning));
    const m2s = master.rings.m2s[0]!;
    m2s.writeDesc(0, 0, m2s.descRegion(0), 1500, m2s.descOffset(0));
    m2s.storeTail(1);
    master.eventfds.m2s[0]!.write(1);
    const batch = new ReceiveBatch(4);
    await waitUntil(() => slave.rxBurst(0, batch) === 0 && printed.length > 0, 10_000, 'a process warning');
    expect(printed[0]).toMatchObject({ name: 'MemifWarning', code: 'MEMIF_OVERSIZE_DESCRIPTOR' });
    expect(slave.details().warnings).toHaveLength(1);
  });
});
