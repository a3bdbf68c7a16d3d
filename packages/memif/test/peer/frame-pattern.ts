/** Test frames that carry their sequence number and a pattern derived from it. */

export function frameLength(seq: number, sizes: readonly number[]): number {
  return sizes[seq % sizes.length] ?? 64;
}

/** Fills `frame` as frame number `seq`: the sequence number, then a pattern. */
export function fillFrame(frame: Uint8Array, seq: number): void {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  view.setUint32(0, seq, true);
  for (let i = 4; i < frame.length; i++) frame[i] = (seq * 31 + i) & 0xff;
}

/** Why `frame` is not frame `seq` of the given sizes, or undefined when it is. */
export function checkFrame(frame: Uint8Array, seq: number, sizes: readonly number[]): string | undefined {
  const length = frameLength(seq, sizes);
  if (frame.length !== length) return `frame ${seq}: ${frame.length} bytes, expected ${length}`;
  const got = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0, true);
  if (got !== seq) return `frame ${seq}: carries sequence number ${got}`;
  for (let i = 4; i < frame.length; i++) {
    if (frame[i] !== ((seq * 31 + i) & 0xff)) return `frame ${seq}: byte ${i} differs`;
  }
  return undefined;
}
