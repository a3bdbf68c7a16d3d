import { Duplex } from 'node:stream';
import { BurstIterator } from './burst-iterator.ts';
import type { MemifInterface } from './memif-interface.ts';

/** Frames a stream buffers each way: a few bursts, so `_writev` batches and reads push in bursts. */
const STREAM_HIGH_WATER_MARK = 256;

/**
 * A Node `Duplex` in object mode over one queue pair: each chunk written is one frame (a
 * Uint8Array or Buffer), each chunk read is one received frame (a copy). Writes go out in batches
 * (`_writev`: one burst per batch, in order with `send()`, waiting for ring space without
 * spinning); reads push whole bursts. Reading waits across disconnects; a write while
 * disconnected fails the stream, as a socket write would.
 */
export function createFrameStream(iface: MemifInterface, queue = 0): Duplex {
  const abort = new AbortController();
  let bursts: BurstIterator | undefined;
  let reading = false;
  const frames: Uint8Array[] = [];
  /** Writes held back while received frames pile up unread (see `whenReadersKeepUp`). */
  let heldWrites: Array<() => void> = [];
  /**
   * A Duplex over a queue pair is often one end of an echo: if its reader falls behind, the pump
   * stops draining the ring and the peer drops its replies. So writes wait while the readable
   * side holds a full buffer, until the reader asks for more (a stream nobody reads never waits).
   */
  const whenReadersKeepUp = (): Promise<void> | undefined =>
    stream.readableLength < STREAM_HIGH_WATER_MARK ? undefined : new Promise<void>((resolve) => heldWrites.push(resolve));
  const releaseWrites = (): void => {
    const held = heldWrites;
    heldWrites = [];
    for (const resolve of held) resolve();
  };
  const pump = async (): Promise<void> => {
    bursts ??= new BurstIterator(iface, queue, {
      signal: abort.signal,
      receive: (batch) => iface.rxCopies(queue, frames, batch, batch.capacity),
    });
    for (;;) {
      const step = await bursts.next();
      if (step.done === true) {
        stream.push(null);
        return;
      }
      let more = true;
      for (const frame of frames) more = stream.push(frame);
      if (!more) break;
    }
    reading = false;
  };
  const onClose = (): void => {
    if (!stream.destroyed) stream.push(null);
  };
  const stream = new Duplex({
    objectMode: true,
    highWaterMark: STREAM_HIGH_WATER_MARK,
    read() {
      releaseWrites();
      if (reading) return;
      reading = true;
      pump().catch((error: Error) => {
        // Our own destroy() aborts the iterator: nothing left to report then.
        if (!abort.signal.aborted) stream.destroy(error);
      });
    },
    write(frame: Uint8Array, _encoding, callback) {
      const send = (): Promise<void> => iface.send(frame, queue, { signal: abort.signal });
      (whenReadersKeepUp()?.then(send) ?? send()).then(() => callback(), callback);
    },
    writev(chunks, callback) {
      const batch = chunks.map((c) => c.chunk as Uint8Array);
      const send = (): Promise<void> => iface.sendMany(batch, queue, { signal: abort.signal });
      (whenReadersKeepUp()?.then(send) ?? send()).then(() => callback(), callback);
    },
    destroy(error, callback) {
      iface.off('close', onClose);
      releaseWrites();
      abort.abort();
      callback(error);
    },
  });
  iface.once('close', onClose);
  stream.once('close', () => iface.off('close', onClose));
  return stream;
}
