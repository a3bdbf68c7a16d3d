import { describe, expect, it } from 'vitest';
import { EventFd, Seal, SeqpacketSocket, SharedMemory } from '../src/index.ts';
import { fdCount } from './helpers.ts';

describe('descriptor hygiene', () => {
  it('1000 create/pass/map/close cycles leave the fd count where it began', () => {
    const before = fdCount();
    const buffer = new Uint8Array(128);
    for (let i = 0; i < 1000; i++) {
      const [a, b] = SeqpacketSocket.pair();
      const memory = SharedMemory.createMemfd(`leak-${i}`, { size: 8192, seals: Seal.Shrink });
      const events = EventFd.create();
      a.trySend(buffer, [memory.fd, events.fd]);
      memory.close();
      events.close();
      const message = b.tryReceive(buffer, { maxFds: 1 });
      const [fd] = message?.fds ?? [];
      const received = SharedMemory.fromFd(fd ?? -1);
      const mapping = received.map();
      new Uint8Array(mapping.buffer)[8191] = i & 0xff;
      mapping.unmap();
      received.close();
      a.close();
      b.close();
    }
    expect(fdCount()).toBe(before);
  });
});
