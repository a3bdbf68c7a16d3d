import { UsageError } from './usage-error.ts';

/** IPv4 addresses are unsigned 32-bit numbers here; this is how they are written. */
const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Parses `a.b.c.d`; `what` names the flag or argument in the error. */
export function parseIpv4(text: string, what: string): number {
  const match = DOTTED_QUAD.exec(text);
  const parts = match?.slice(1).map(Number);
  if (parts === undefined || parts.some((p) => p > 255)) {
    throw new UsageError(`${what}: '${text}' is not an IPv4 address (a.b.c.d, e.g. 192.168.1.2)`);
  }
  return parts.reduce((address, part) => ((address << 8) | part) >>> 0, 0);
}

/**
 * Parses `a.b.c.d/len`. The prefix length is required, as VPP's `set interface ip address`
 * requires it: a default would silently pick the subnet for the user.
 */
export function parseIpv4Cidr(text: string, what: string): { address: number; prefixLength: number } {
  const [address = '', prefix, ...rest] = text.split('/');
  const prefixLength = Number(prefix);
  if (prefix === undefined || rest.length > 0 || !/^\d{1,2}$/.test(prefix) || prefixLength > 32) {
    throw new UsageError(`${what}: '${text}' needs a prefix length from 0 to 32 (e.g. 192.168.1.1/24)`);
  }
  return { address: parseIpv4(address, what), prefixLength };
}

export function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 0xff).join('.');
}

/** Reads a big-endian IPv4 address at `offset`. */
export function readIpv4(bytes: Uint8Array, offset: number): number {
  return (((bytes[offset] ?? 0) << 24) | ((bytes[offset + 1] ?? 0) << 16) | ((bytes[offset + 2] ?? 0) << 8) | (bytes[offset + 3] ?? 0)) >>> 0;
}

export function writeIpv4(bytes: Uint8Array, offset: number, address: number): void {
  bytes[offset] = address >>> 24;
  bytes[offset + 1] = (address >>> 16) & 0xff;
  bytes[offset + 2] = (address >>> 8) & 0xff;
  bytes[offset + 3] = address & 0xff;
}
