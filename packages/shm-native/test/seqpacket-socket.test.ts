import { existsSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chmodPath, chownPath, closeFd, dupFd, ErrnoError, EventFd, SeqpacketSocket, type UnixAddress, unlinkPath } from '../src/index.ts';
import { catchError, decodeText, encodeText, fdCount, receiveMessage, uniqueName, uniqueSocketPath, waitReadable } from './helpers.ts';

describe('SeqpacketSocket', () => {
  it('keeps message boundaries', () => {
    const [a, b] = SeqpacketSocket.pair();
    try {
      for (const text of ['one', 'two two', '', 'three three three']) {
        expect(a.trySend(encodeText(text))).toBe(true);
      }
      const buffer = new Uint8Array(64);
      const lengths = [3, 7, 0, 17];
      for (const length of lengths) {
        const message = b.tryReceive(buffer);
        expect(message?.bytes).toBe(length);
        expect(message?.truncated).toBe(false);
      }
      expect(b.tryReceive(buffer)).toBeNull();
    } finally {
      a.close();
      b.close();
    }
  });

  it('reports a truncated datagram', () => {
    const [a, b] = SeqpacketSocket.pair();
    try {
      a.trySend(new Uint8Array(200).fill(9));
      const message = b.tryReceive(new Uint8Array(128));
      expect(message).toMatchObject({ bytes: 128, truncated: true });
    } finally {
      a.close();
      b.close();
    }
  });

  it('passes several fds in order and closes the ones the caller does not accept', () => {
    const [a, b] = SeqpacketSocket.pair();
    const events = [EventFd.create(), EventFd.create(), EventFd.create(), EventFd.create()];
    try {
      for (const [i, e] of events.entries()) e.write(i + 1);
      const before = fdCount();
      a.trySend(
        encodeText('fds'),
        events.map((e) => e.fd),
      );
      const message = b.tryReceive(new Uint8Array(16), { maxFds: 2 });
      expect(message?.fds).toHaveLength(2);
      expect(message?.excessFdsClosed).toBe(2);
      expect(fdCount()).toBe(before + 2);
      const received = (message?.fds ?? []).map((fd) => EventFd.fromFd(fd));
      expect(received.map((e) => e.read())).toEqual([1, 2]);
      for (const e of received) e.close();
      expect(fdCount()).toBe(before);

      a.trySend(encodeText('none wanted'), [events[0]?.fd ?? -1]);
      const none = b.tryReceive(new Uint8Array(16), { maxFds: 0 });
      expect(none?.fds).toEqual([]);
      expect(fdCount()).toBe(before);
    } finally {
      for (const e of events) e.close();
      a.close();
      b.close();
    }
  });

  it('returns null on EAGAIN and bytes 0 at EOF', () => {
    const [a, b] = SeqpacketSocket.pair();
    const buffer = new Uint8Array(16);
    expect(b.tryReceive(buffer)).toBeNull();
    a.close();
    expect(b.tryReceive(buffer)).toMatchObject({ bytes: 0, fds: [] });
    b.close();
  });

  it('reports a full send buffer as false, and a closed peer as an error (no SIGPIPE)', () => {
    const [a, b] = SeqpacketSocket.pair();
    const big = new Uint8Array(4096);
    let sent = 0;
    while (a.trySend(big)) sent++;
    expect(sent).toBeGreaterThan(0);
    b.close();
    const error = catchError(() => a.trySend(big));
    expect(error).toMatchObject({ syscall: 'sendmsg' });
    // ECONNRESET when the peer left unread data behind, EPIPE otherwise.
    expect(['ECONNRESET', 'EPIPE']).toContain((error as ErrnoError).code);
    a.close();
  });

  it('returns this process as the peer of a socketpair', () => {
    const [a, b] = SeqpacketSocket.pair();
    try {
      expect(a.peerCredentials()).toEqual({
        pid: process.pid,
        uid: process.getuid?.(),
        gid: process.getgid?.(),
      });
    } finally {
      a.close();
      b.close();
    }
  });

  it.each<[string, () => UnixAddress]>([
    ['filesystem', () => ({ path: uniqueSocketPath() })],
    ['abstract', () => ({ abstract: uniqueName('/run/memif-test') })],
  ])('listens, connects and accepts on a %s address', async (_kind, makeAddress) => {
    const address = makeAddress();
    const listener = SeqpacketSocket.listen(address, { backlog: 1, passCredentials: true });
    const client = SeqpacketSocket.connect(address);
    try {
      expect(client.connectState).toBe('connected');
      expect(client.connectError()).toBeNull();
      await waitReadable(listener.fd);
      const server = listener.accept();
      expect(server).not.toBeNull();
      expect(listener.accept()).toBeNull();
      client.trySend(encodeText('hello'));
      const buffer = new Uint8Array(128);
      const message = await receiveMessage(server as SeqpacketSocket, buffer);
      expect(decodeText(buffer, message.bytes)).toBe('hello');
      expect(message.credentials).toEqual({
        pid: process.pid,
        uid: process.getuid?.(),
        gid: process.getgid?.(),
      });
      expect(server?.peerCredentials().pid).toBe(process.pid);
      server?.shutdown();
      expect(client.tryReceive(buffer)?.bytes).toBe(0);
      server?.close();
    } finally {
      client.close();
      listener.close();
      if ('path' in address) unlinkPath(address.path);
    }
  });

  it('fails to bind an existing path with EADDRINUSE naming the path', () => {
    const path = uniqueSocketPath();
    const listener = SeqpacketSocket.listen({ path });
    try {
      const error = catchError(() => SeqpacketSocket.listen({ path }));
      expect(ErrnoError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: 'EADDRINUSE', errno: -98, syscall: 'bind', path });
      expect((error as Error).message).toMatch(new RegExp(`^bind EADDRINUSE ${path}: `));
    } finally {
      listener.close();
      unlinkPath(path);
    }
  });

  it('fails to bind a taken abstract name with EADDRINUSE', () => {
    const name = uniqueName('memif-abstract');
    const listener = SeqpacketSocket.listen({ abstract: name });
    try {
      const error = catchError(() => SeqpacketSocket.listen({ abstract: name }));
      expect(error).toMatchObject({ code: 'EADDRINUSE', syscall: 'bind', path: `@${name}` });
    } finally {
      listener.close();
    }
  });

  it('reports connect failures with the address', () => {
    const path = uniqueSocketPath();
    const before = fdCount();
    const error = catchError(() => SeqpacketSocket.connect({ path }));
    expect(error).toMatchObject({ code: 'ENOENT', errno: -2, syscall: 'connect', path });
    expect(fdCount()).toBe(before);
  });

  it('changes mode and owner of a socket path', () => {
    const path = uniqueSocketPath();
    const listener = SeqpacketSocket.listen({ path });
    try {
      chmodPath(path, 0o660);
      expect(statSync(path).mode & 0o777).toBe(0o660);
      chownPath(path, -1, process.getgid?.() ?? 0);
      expect(statSync(path).gid).toBe(process.getgid?.());
    } finally {
      listener.close();
      unlinkPath(path);
    }
    expect(existsSync(path)).toBe(false);
  });

  it('duplicates and closes raw descriptors', () => {
    const events = EventFd.create();
    const copy = dupFd(events.fd);
    expect(copy).not.toBe(events.fd);
    events.write(3);
    const viaCopy = EventFd.fromFd(copy);
    expect(viaCopy.read()).toBe(3);
    closeFd(dupFd(events.fd));
    viaCopy.close();
    events.close();
    expect(catchError(() => closeFd(copy))).toMatchObject({ code: 'EBADF', syscall: 'close' });
  });
});
