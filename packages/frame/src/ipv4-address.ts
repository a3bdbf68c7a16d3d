/** IPv4 addresses are unsigned 32-bit numbers here; this is how they are written. */
const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** `a.b.c.d` as an unsigned 32-bit number, or undefined when `text` is not one. */
export function parseIpv4(text: string): number | undefined {
  const parts = DOTTED_QUAD.exec(text)?.slice(1).map(Number);
  if (parts === undefined || parts.some((p) => p > 255)) return undefined;
  return parts.reduce((address, part) => ((address << 8) | part) >>> 0, 0);
}

export function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 0xff).join('.');
}

/** Reads a big-endian IPv4 address at `offset`. */
export function readIpv4(bytes: Uint8Array, offset: number): number {
  return (
    (((bytes[offset] ?? 0) << 24) | ((bytes[offset + 1] ?? 0) << 16) | ((bytes[offset + 2] ?? 0) << 8) | (bytes[offset + 3] ?? 0)) >>> 0
  );
}

export function writeIpv4(bytes: Uint8Array, offset: number, address: number): void {
  bytes[offset] = address >>> 24;
  bytes[offset + 1] = (address >>> 16) & 0xff;
  bytes[offset + 2] = (address >>> 8) & 0xff;
  bytes[offset + 3] = address & 0xff;
}
