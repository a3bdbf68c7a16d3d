import type { ReceiveBatch } from '@memif/memif';

/** Data room of one mbuf of DPDK's default mempool (RTE_MBUF_DEFAULT_DATAROOM). */
export const MBUF_DATA_ROOM = 2048;

/**
 * The per-frame work of DPDK's memif receiver, for `lite-rxcopy`: every received segment is copied
 * out of shared memory into "mbufs" of {@link MBUF_DATA_ROOM} bytes, a segment longer than that
 * into several (DPDK chains mbufs), so every byte is read from the peer's buffers and written once.
 * The mbufs are reused in turn, as dpdk-testpmd's rxonly frees each burst straight back into the
 * mempool's per-core cache and takes the same ones again. Allocates the mbufs once; a burst
 * allocates nothing unless a segment is longer than an mbuf (a subarray per piece then).
 */
export class MbufCopier {
  readonly #area: Uint8Array;
  readonly #mbufs: number;
  #next = 0;
  /** Bytes copied since construction. */
  bytes = 0;

  constructor(mbufs: number) {
    this.#mbufs = Math.max(1, Math.floor(mbufs));
    this.#area = new Uint8Array(this.#mbufs * MBUF_DATA_ROOM);
  }

  /** Copies frames `[0, count)` of `batch` into the next mbufs; returns the bytes copied. */
  copyBurst(batch: ReceiveBatch, count: number): number {
    let copied = 0;
    for (let frame = 0; frame < count; frame++) {
      batch.checkFrameLive(frame);
      const first = batch.frameFirstSegment(frame);
      const end = first + batch.frameSegmentCount(frame);
      for (let segment = first; segment < end; segment++) {
        const length = batch.segmentLength(segment);
        if (length <= MBUF_DATA_ROOM) {
          this.#area.set(batch.segmentView(segment), this.#take());
        } else {
          const source = batch.segmentBytes(segment);
          const offset = batch.segmentOffset(segment);
          for (let at = 0; at < length; at += MBUF_DATA_ROOM) {
            this.#area.set(source.subarray(offset + at, offset + Math.min(length, at + MBUF_DATA_ROOM)), this.#take());
          }
        }
        copied += length;
      }
    }
    this.bytes += copied;
    return copied;
  }

  /** A copy of the data room of mbuf `index` (what the last copies left there). Allocates. */
  mbuf(index: number): Uint8Array {
    const start = (index % this.#mbufs) * MBUF_DATA_ROOM;
    return this.#area.slice(start, start + MBUF_DATA_ROOM);
  }

  /** Byte offset of the next mbuf to fill. */
  #take(): number {
    const mbuf = this.#next;
    this.#next = mbuf + 1 === this.#mbufs ? 0 : mbuf + 1;
    return mbuf * MBUF_DATA_ROOM;
  }
}
