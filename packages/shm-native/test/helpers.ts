import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FdWatcher, type ReceivedMessage, type SeqpacketSocket } from '../src/index.ts';

/** Open descriptors of this process. */
export function fdCount(): number {
  return readdirSync('/proc/self/fd').length;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${randomBytes(6).toString('hex')}`;
}

export function uniqueSocketPath(): string {
  return join(tmpdir(), `${uniqueName('shm-native')}.sock`);
}

/** Resolves once `fd` is readable (or hung up); rejects after `timeoutMs`. */
export function waitReadable(fd: number, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`fd ${fd} not readable after ${timeoutMs} ms`));
    }, timeoutMs);
    const watcher = new FdWatcher(fd, (event) => {
      clearTimeout(timer);
      watcher.close();
      if (event.error === null) resolve();
      else reject(event.error);
    });
    watcher.start('readable');
  });
}

/** The next datagram on `socket`, waiting for it with an FdWatcher. */
export async function receiveMessage(socket: SeqpacketSocket, buffer: Uint8Array, maxFds = 1): Promise<ReceivedMessage> {
  for (;;) {
    const message = socket.tryReceive(buffer, { maxFds });
    if (message !== null) return message;
    await waitReadable(socket.fd);
  }
}

export const encodeText = (text: string): Uint8Array => new TextEncoder().encode(text);
export const decodeText = (bytes: Uint8Array, length: number): string => new TextDecoder().decode(bytes.subarray(0, length));

const peerFixture = fileURLToPath(new URL('./fixtures/peer.ts', import.meta.url));

/**
 * Runs test/fixtures/peer.ts in a child `node --import tsx` with `socketFd` as its fd 3.
 * The child is killed after `timeoutMs`.
 */
export function spawnPeer(mode: string, socketFd: number, timeoutMs = 15_000): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', peerFixture, mode], {
    stdio: ['ignore', 'inherit', 'inherit', socketFd],
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
}

/** Resolves with the exit code, or the signal that killed the child. */
export function exitCode(child: ChildProcess): Promise<number | NodeJS.Signals> {
  return new Promise((resolve) => {
    child.once('error', () => resolve(-1));
    child.once('exit', (code, signal) => resolve(signal ?? code ?? -1));
  });
}

/** The error `fn` throws; fails the test if it returns. */
export function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
