import { InvalidArgumentError } from './invalid-argument-error.ts';

/**
 * Where a unix socket lives: a filesystem `path`, or an `abstract` name (Linux abstract
 * namespace; no file, scoped to the network namespace). DPDK's default `/run/memif.sock` is
 * abstract; VPP's and libmemif's `/run/vpp/memif.sock` is a file.
 */
export type UnixAddress = { readonly path: string } | { readonly abstract: string };

/** sun_path holds 108 bytes: a path needs a trailing NUL, an abstract name a leading one. */
const MAX_ADDRESS_BYTES = 107;

export interface EncodedUnixAddress {
  readonly bytes: Uint8Array;
  readonly abstract: boolean;
  /** How errors name it: the path, or `@name` as /proc/net/unix shows abstract names. */
  readonly display: string;
}

/** The bytes the addon puts into sun_path, checked for length and NUL bytes. */
export function encodeUnixAddress(address: UnixAddress): EncodedUnixAddress {
  const abstract = 'abstract' in address;
  const text = abstract ? address.abstract : address.path;
  if (typeof text !== 'string' || text.length === 0 || text.includes('\0')) {
    throw new InvalidArgumentError('a unix socket address must be a non-empty string without NUL');
  }
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > MAX_ADDRESS_BYTES) {
    throw new InvalidArgumentError(`unix socket address is ${bytes.length} bytes; at most ${MAX_ADDRESS_BYTES} fit in sun_path`);
  }
  return { bytes, abstract, display: abstract ? `@${text}` : text };
}
