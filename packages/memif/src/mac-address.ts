import { randomFillSync } from 'node:crypto';
import { MemifError } from './memif-error.ts';

const MAC_PATTERN = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

/** Parses `xx:xx:xx:xx:xx:xx` into 6 bytes; `option` names the setting in the error. */
export function parseMacAddress(text: string, option = 'mac'): Uint8Array {
  if (typeof text !== 'string' || !MAC_PATTERN.test(text)) {
    throw new MemifError(
      'ERR_MEMIF_INVALID_OPTION',
      `${option} must be six hex bytes separated by colons (e.g. 02:fe:12:34:56:78), got '${String(text)}'`,
      { option },
    );
  }
  return Uint8Array.from(text.split(':'), (byte) => Number.parseInt(byte, 16));
}

export function formatMacAddress(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(':');
}

/** A random unicast, locally administered address, as DPDK's `rte_eth_random_addr` makes. */
export function randomMacAddress(): Uint8Array {
  const bytes = randomFillSync(new Uint8Array(6));
  bytes[0] = ((bytes[0] ?? 0) & 0xfe) | 0x02;
  return bytes;
}
