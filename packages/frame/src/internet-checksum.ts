/**
 * The Internet checksum (RFC 1071) of `bytes[start, end)`: the ones' complement of the ones'
 * complement sum of 16-bit big-endian words, an odd last byte padded with zero. A header whose
 * checksum field is filled in correctly sums to 0.
 */
export function internetChecksum(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let sum = 0;
  let i = start;
  for (; i + 1 < end; i += 2) sum += ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
  if (i < end) sum += (bytes[i] ?? 0) << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/**
 * RFC 1624 eqn. 3: the checksum after one 16-bit word of the data it covers changed from `from`
 * to `to`, without summing the data again.
 */
export function updateChecksum(checksum: number, from: number, to: number): number {
  let sum = (~checksum & 0xffff) + (~from & 0xffff) + to;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
