import { RingError } from './ring-error.ts';

const EMPTY = new Uint8Array(0);

/** Up to this many bytes a byte loop beats making a subarray for `set`, and allocates nothing. */
const SMALL_COPY = 32;

/**
 * A reusable holder for the frames of one receive burst. Frames are lists of segments, each a
 * (bytes, offset, length) triple pointing into shared memory, valid until the receiver releases
 * them. Reading through the triples allocates nothing; {@link frameView} and
 * {@link copyFrame} are conveniences that do.
 */
export class ReceiveBatch {
  /** Maximum frames per burst. */
  readonly capacity: number;
  /** Frames held by the last receive. */
  count = 0;
  /** Segments held by the last receive, all frames together. */
  segmentCount = 0;

  private readonly firstSegment: Uint32Array;
  private readonly segmentsOf: Uint32Array;
  private readonly lengthOf: Uint32Array;
  private segBytes: Uint8Array[];
  private segOffset: Uint32Array;
  private segLength: Uint32Array;
  /** An exact view of each segment when the receiver had one cached (else {@link EMPTY}). */
  private segView: Uint8Array[];

  /** Allocates the batch arrays once; segment storage grows (allocating) for long chains. */
  constructor(capacity = 32, initialSegments = capacity * 2) {
    this.capacity = capacity;
    this.firstSegment = new Uint32Array(capacity);
    this.segmentsOf = new Uint32Array(capacity);
    this.lengthOf = new Uint32Array(capacity);
    const segments = Math.max(1, initialSegments);
    this.segBytes = new Array<Uint8Array>(segments).fill(EMPTY);
    this.segOffset = new Uint32Array(segments);
    this.segLength = new Uint32Array(segments);
    this.segView = new Array<Uint8Array>(segments).fill(EMPTY);
  }

  /** Empties the batch (receivers call this at the start of a burst). */
  clear(): void {
    this.count = 0;
    this.segmentCount = 0;
  }

  /** Total bytes of frame `frame`. */
  frameLength(frame: number): number {
    return this.lengthOf[frame] ?? 0;
  }

  /** Index of the first segment of frame `frame`. */
  frameFirstSegment(frame: number): number {
    return this.firstSegment[frame] ?? 0;
  }

  /** Number of segments (ring slots) of frame `frame`. */
  frameSegmentCount(frame: number): number {
    return this.segmentsOf[frame] ?? 0;
  }

  /** The region bytes segment `segment` lives in (read them at {@link segmentOffset}). */
  segmentBytes(segment: number): Uint8Array {
    return this.segBytes[segment] ?? EMPTY;
  }

  segmentOffset(segment: number): number {
    return this.segOffset[segment] ?? 0;
  }

  segmentLength(segment: number): number {
    return this.segLength[segment] ?? 0;
  }

  /**
   * Segment `segment` as one Uint8Array over shared memory, valid until the receiver releases it.
   * Receivers keep one view per ring slot and reuse it while the slot's region, offset and length
   * stay the same (always, for constant-size traffic), so this allocates only when they change.
   */
  segmentView(segment: number): Uint8Array {
    const view = this.segView[segment] ?? EMPTY;
    if (view !== EMPTY || this.segmentLength(segment) === 0) return view;
    const offset = this.segmentOffset(segment);
    return this.segmentBytes(segment).subarray(offset, offset + this.segmentLength(segment));
  }

  /**
   * The frame as one Uint8Array: a view into shared memory for a single-segment frame (see
   * {@link segmentView}: reused per ring slot, allocated when the slot's frame length changes),
   * a fresh copy for a chained one (allocates the copy).
   */
  frameView(frame: number): Uint8Array {
    this.checkFrameLive(frame);
    const first = this.frameFirstSegment(frame);
    if (this.frameSegmentCount(frame) === 1) return this.segmentView(first);
    const copy = new Uint8Array(this.frameLength(frame));
    this.copyFrame(frame, copy);
    return copy;
  }

  /**
   * Copies frame `frame` into `into` at `at` and returns the bytes copied, or −1 when it does not
   * fit. Allocates a temporary subarray per segment longer than {@link SMALL_COPY} bytes only when
   * the receiver had no cached view of it (see {@link segmentView}).
   */
  copyFrame(frame: number, into: Uint8Array, at = 0): number {
    this.checkFrameLive(frame);
    const length = this.frameLength(frame);
    if (at + length > into.byteLength) return -1;
    const first = this.frameFirstSegment(frame);
    const end = first + this.frameSegmentCount(frame);
    let position = at;
    for (let segment = first; segment < end; segment++) {
      const offset = this.segmentOffset(segment);
      const bytes = this.segmentLength(segment);
      const source = this.segmentBytes(segment);
      if (bytes <= SMALL_COPY) {
        for (let k = 0; k < bytes; k++) into[position + k] = source[offset + k] as number;
      } else {
        into.set(this.segmentView(segment), position);
      }
      position += bytes;
    }
    return length;
  }

  /**
   * Throws ERR_RING_STALE_BATCH when frame `frame` lies in memory that is gone. A region is
   * unmapped when its connection ends, which detaches its ArrayBuffer; a view of it then reads
   * `undefined` and drops writes without throwing, so a copy from it would silently be zeros.
   */
  checkFrameLive(frame: number): void {
    const first = this.frameFirstSegment(frame);
    const end = first + this.frameSegmentCount(frame);
    for (let segment = first; segment < end; segment++) {
      if (this.segmentOffset(segment) + this.segmentLength(segment) > this.segmentBytes(segment).byteLength) {
        throw new RingError(
          'ERR_RING_STALE_BATCH',
          `frame ${frame} of this batch lies in a region that is unmapped now (its connection ended): copy frames out before the interface can disconnect`,
        );
      }
    }
  }

  /**
   * @internal Receivers: append one segment of the frame being built; `view`, when given, must be
   * exactly `bytes[offset, offset + length)`.
   */
  pushSegment(bytes: Uint8Array, offset: number, length: number, view: Uint8Array = EMPTY): void {
    if (this.segmentCount === this.segOffset.length) this.grow();
    const index = this.segmentCount++;
    this.segBytes[index] = bytes;
    this.segOffset[index] = offset;
    this.segLength[index] = length;
    this.segView[index] = view;
  }

  /** @internal Receivers: drop the segments pushed since `segmentCount` was `mark`. */
  rollback(mark: number): void {
    this.segmentCount = mark;
  }

  /** @internal Receivers: close the frame made of the segments pushed since `mark`. */
  commitFrame(mark: number, length: number): void {
    const frame = this.count++;
    this.firstSegment[frame] = mark;
    this.segmentsOf[frame] = this.segmentCount - mark;
    this.lengthOf[frame] = length;
  }

  private grow(): void {
    const size = this.segOffset.length * 2;
    const offsets = new Uint32Array(size);
    offsets.set(this.segOffset);
    const lengths = new Uint32Array(size);
    lengths.set(this.segLength);
    this.segBytes = this.segBytes.concat(new Array<Uint8Array>(size - this.segBytes.length).fill(EMPTY));
    this.segView = this.segView.concat(new Array<Uint8Array>(size - this.segView.length).fill(EMPTY));
    this.segOffset = offsets;
    this.segLength = lengths;
  }
}
