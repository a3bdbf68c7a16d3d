/**
 * The RFC 1071 one's-complement checksum of `length` bytes at `offset`, as it goes into a header
 * field (already complemented). Big-endian 16-bit words; an odd last byte is padded with zero.
 */
export function internetChecksum(bytes: Uint8Array, offset: number, length: number): number {
  let sum = 0;
  const end = offset + length;
  let at = offset;
  for (; at + 1 < end; at += 2) sum += ((bytes[at] as number) << 8) | (bytes[at + 1] as number);
  if (at < end) sum += (bytes[at] as number) << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** RFC 1624 eqn. 3: the checksum after one 16-bit word of the covered data changed from `from` to `to`. */
export function updateChecksum(checksum: number, from: number, to: number): number {
  let sum = (~checksum & 0xffff) + (~from & 0xffff) + to;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
