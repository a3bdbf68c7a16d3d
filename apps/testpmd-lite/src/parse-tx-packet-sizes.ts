/** Ethernet (14) + IPv4 (20) + UDP (8): the smallest frame txonly can build. */
export const MIN_TX_PACKET_LENGTH = 42;
/** testpmd's RTE_MAX_SEGS_PER_PKT. */
export const MAX_TX_SEGMENTS = 255;
/** Our ceiling for one frame; a memif chain of 64 KiB is far beyond any MTU in use. */
export const MAX_TX_PACKET_LENGTH = 65535;

/**
 * Parses `--txpkts` / `set txpkts`: a comma list of segment sizes whose sum is the frame length
 * (testpmd builds one mbuf per size; the memif interface chains slots by its own buffer size, so
 * only the sum matters here). Returns the sizes, or a message saying what is allowed.
 */
export function parseTxPacketSizes(text: string): number[] | string {
  const parts = text.split(',');
  if (parts.length > MAX_TX_SEGMENTS) return `too many segments (${parts.length}); at most ${MAX_TX_SEGMENTS}`;
  const sizes: number[] = [];
  for (const part of parts) {
    if (!/^\d+$/.test(part.trim()) || Number(part) === 0) {
      return `bad segment size '${part}': each size must be a positive decimal integer`;
    }
    sizes.push(Number(part));
  }
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total < MIN_TX_PACKET_LENGTH) {
    return `total packet length=${total} < ${MIN_TX_PACKET_LENGTH} (Ethernet + IPv4 + UDP headers) - give up`;
  }
  if (total > MAX_TX_PACKET_LENGTH) return `total packet length=${total} > ${MAX_TX_PACKET_LENGTH} - give up`;
  return sizes;
}
