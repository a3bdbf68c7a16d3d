import { parseIpv4 } from '@memif/frame';
import { UsageError } from './usage-error.ts';

/** Parses `a.b.c.d`; `what` names the flag or argument in the error. */
export function parseIpv4Argument(text: string, what: string): number {
  const address = parseIpv4(text);
  if (address === undefined) throw new UsageError(`${what}: '${text}' is not an IPv4 address (a.b.c.d, e.g. 192.168.1.2)`);
  return address;
}

/**
 * Parses `a.b.c.d/len`. The prefix length is required, as VPP's `set interface ip address`
 * requires it: a default would silently pick the subnet for the user.
 */
export function parseIpv4CidrArgument(text: string, what: string): { address: number; prefixLength: number } {
  const [address = '', prefix, ...rest] = text.split('/');
  const prefixLength = Number(prefix);
  if (prefix === undefined || rest.length > 0 || !/^\d{1,2}$/.test(prefix) || prefixLength > 32) {
    throw new UsageError(`${what}: '${text}' needs a prefix length from 0 to 32 (e.g. 192.168.1.1/24)`);
  }
  return { address: parseIpv4Argument(address, what), prefixLength };
}
