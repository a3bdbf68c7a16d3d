import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { EventFd, Seal, SeqpacketSocket, SharedMemory } from '../src/index.ts';
import { decodeText, encodeText, exitCode, receiveMessage, spawnPeer } from './helpers.ts';

const REGION_SIZE = 4_227_328; // a real memif region size, not a page multiple of 2 MiB

describe('two processes', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
    child = undefined;
  });

  it('share a memfd passed over SOCK_SEQPACKET, in both directions', async () => {
    const [ours, theirs] = SeqpacketSocket.pair();
    child = spawnPeer('shared-memory', theirs.fd);
    theirs.close();
    const exited = exitCode(child);

    const memory = SharedMemory.createMemfd('region0', {
      size: REGION_SIZE,
      seals: Seal.Shrink | Seal.Grow | Seal.Seal,
    });
    const mapping = memory.map();
    const bytes = new Uint8Array(mapping.buffer);
    for (let i = 0; i < bytes.length; i += 4093) bytes[i] = (i * 7) % 251;
    expect(ours.trySend(encodeText('region'), [memory.fd])).toBe(true);
    memory.close();

    const buffer = new Uint8Array(128);
    const reply = await receiveMessage(ours, buffer);
    expect(decodeText(buffer, reply.bytes)).toBe(`seen region ${REGION_SIZE}`);
    expect(bytes[bytes.length - 1]).toBe(0xab);
    expect(bytes[1000]).toBe(0xcd);

    mapping.unmap();
    ours.close();
    expect(await exited).toBe(0);
  });

  it('wake a watcher in the other process through a passed eventfd', async () => {
    const [ours, theirs] = SeqpacketSocket.pair();
    child = spawnPeer('eventfd', theirs.fd);
    theirs.close();
    const exited = exitCode(child);

    const events = EventFd.create();
    ours.trySend(encodeText('interrupt'), [events.fd]);
    const buffer = new Uint8Array(128);
    const ready = await receiveMessage(ours, buffer);
    expect(decodeText(buffer, ready.bytes)).toBe('ready');
    events.write(5);

    const woken = await receiveMessage(ours, buffer);
    expect(decodeText(buffer, woken.bytes)).toBe('woken 5');
    events.close();
    ours.close();
    expect(await exited).toBe(0);
  });
});
