/** Swaps `length` bytes at `a` with those at `b` in place, allocating nothing. */
export function swapBytes(bytes: Uint8Array, a: number, b: number, length: number): void {
  for (let i = 0; i < length; i++) {
    const t = bytes[a + i] as number;
    bytes[a + i] = bytes[b + i] as number;
    bytes[b + i] = t;
  }
}
