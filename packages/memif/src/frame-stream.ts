import { Duplex } from 'node:stream';
import type { MemifInterface } from './memif-interface.ts';

/**
 * A Node `Duplex` in object mode over one queue pair: each chunk written is one frame (a
 * Uint8Array) sent with `send()`, each chunk read is one received frame (a copy). Reading waits
 * across disconnects; a write while disconnected fails the stream, as a socket write would.
 */
export function createFrameStream(iface: MemifInterface, queue = 0): Duplex {
  const abort = new AbortController();
  let reader: AsyncGenerator<Uint8Array> | undefined;
  let reading = false;
  const stream = new Duplex({
    objectMode: true,
    read() {
      if (reading) return;
      reading = true;
      reader ??= iface.frames(queue, { signal: abort.signal });
      const pump = async (): Promise<void> => {
        for (;;) {
          const next = await reader!.next();
          if (next.done === true) {
            stream.push(null);
            return;
          }
          if (!stream.push(next.value)) break;
        }
        reading = false;
      };
      pump().catch((error: Error) => stream.destroy(error));
    },
    write(frame: Uint8Array, _encoding, callback) {
      iface.send(frame, queue).then(() => callback(), callback);
    },
    destroy(error, callback) {
      abort.abort();
      callback(error);
    },
  });
  iface.once('close', () => {
    if (!stream.destroyed) stream.push(null);
  });
  return stream;
}
