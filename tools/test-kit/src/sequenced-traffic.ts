/** The burst API of an interface, as traffic needs it (a `MemifInterface` fits). */
export interface BurstPort<Batch> {
  readonly connected: boolean;
  txBurst(queue: number, frames: readonly Uint8Array[]): number;
  rxBurst(queue: number, batch: Batch): number;
  rxRelease(queue: number): void;
}

/** What traffic reads from a receive batch (a `ReceiveBatch` fits). */
export interface FrameSource {
  frameLength(frame: number): number;
  copyFrame(frame: number, into: Uint8Array): number;
}

export interface SequencedTrafficOptions<Batch> {
  /** Where this side's sequence numbers start (give each sender its own range). */
  readonly firstSeq: number;
  /** Frame sizes, cycled by sequence number. Default 64, 1500, 60, 3000, 256. */
  readonly sizes?: readonly number[];
  /** Frames offered per burst. Default 16. */
  readonly burst?: number;
  /** The receive batch (made by the caller, from the same package copy as its interface). */
  readonly batch: Batch;
  /** Called after every step that moved something (e.g. to save counts somewhere durable). */
  readonly onProgress?: () => void;
}

/**
 * Numbered frames both ways over one interface, as fast as the rings allow: each turn of the
 * event loop offers a burst and drains what arrived, checking that sequence numbers only grow
 * and that every frame's pattern is intact. The counts are what accounting tests reconcile.
 */
export class SequencedTraffic<Batch extends FrameSource> {
  sent = 0;
  received = 0;
  /** Frames that arrived with a sequence number not above the previous one (duplicate or reordered). */
  outOfOrder = 0;
  /** Frames whose pattern was broken. */
  corrupt = 0;
  readonly #port: BurstPort<Batch>;
  readonly #options: SequencedTrafficOptions<Batch>;
  readonly #sizes: readonly number[];
  readonly #burst: Uint8Array[] = [];
  #next: number;
  #last = -1;
  #running = false;

  constructor(port: BurstPort<Batch>, options: SequencedTrafficOptions<Batch>) {
    this.#port = port;
    this.#options = options;
    this.#sizes = options.sizes ?? [64, 1500, 60, 3000, 256];
    this.#next = options.firstSeq;
  }

  /** One burst out and one drain in (nothing while disconnected). */
  step(): void {
    const port = this.#port;
    if (!port.connected) return;
    const burst = this.#burst;
    burst.length = 0;
    for (let i = 0; i < (this.#options.burst ?? 16); i++) {
      const seq = this.#next + i;
      burst.push(fillFrame(new Uint8Array(this.#sizes[seq % this.#sizes.length] ?? 64), seq));
    }
    const sent = port.txBurst(0, burst);
    this.#next += sent;
    this.sent += sent;
    const batch = this.#options.batch;
    const n = port.rxBurst(0, batch);
    for (let i = 0; i < n; i++) {
      const frame = new Uint8Array(batch.frameLength(i));
      batch.copyFrame(i, frame);
      const seq = frameSeq(frame);
      if (seq < 0) this.corrupt++;
      else if (seq <= this.#last) this.outOfOrder++;
      else this.#last = seq;
    }
    port.rxRelease(0);
    this.received += n;
    if (sent > 0 || n > 0) this.#options.onProgress?.();
  }

  /** Steps on every turn of the event loop until {@link stop}. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    const loop = (): void => {
      if (!this.#running) return;
      this.step();
      setImmediate(loop);
    };
    loop();
  }

  stop(): void {
    this.#running = false;
  }
}

/** Writes `seq` and a pattern derived from it into `frame`; returns it. */
function fillFrame(frame: Uint8Array, seq: number): Uint8Array {
  new DataView(frame.buffer, frame.byteOffset, frame.byteLength).setFloat64(0, seq, true);
  for (let i = 8; i < frame.length; i += 61) frame[i] = (seq + i) & 0xff;
  return frame;
}

/** The sequence number of `frame`, or −1 when its pattern is broken. */
function frameSeq(frame: Uint8Array): number {
  if (frame.length < 8) return -1;
  const seq = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getFloat64(0, true);
  for (let i = 8; i < frame.length; i += 61) if (frame[i] !== ((seq + i) & 0xff)) return -1;
  return seq;
}
