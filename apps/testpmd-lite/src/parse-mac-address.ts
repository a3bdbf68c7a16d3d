import { formatMacAddress as formatLowerCase, MemifError, parseMacAddress as parseOrThrow } from '@memif/memif';

/** Parses `xx:xx:xx:xx:xx:xx` with @memif/memif's rules into 6 bytes; undefined if malformed. */
export function parseMacAddress(text: string): Uint8Array | undefined {
  try {
    return parseOrThrow(text);
  } catch (error) {
    if (MemifError.isInstance(error)) return undefined;
    throw error;
  }
}

/** `AE:2B:09:4C:BA:56`: upper case, as dpdk-testpmd prints addresses. */
export function formatMacAddress(bytes: Uint8Array): string {
  return formatLowerCase(bytes).toUpperCase();
}

/** testpmd's default peer of port `port`: 02:00:00:00:00:<port>. */
export function defaultPeerAddress(port: number): Uint8Array {
  return Uint8Array.of(0x02, 0, 0, 0, 0, port & 0xff);
}
