import { internetChecksum } from './internet-checksum.ts';

export const ICMP_ECHO_HEADER_SIZE = 8;

export const IcmpType = { EchoReply: 0, DestinationUnreachable: 3, EchoRequest: 8, TimeExceeded: 11 } as const;

export interface IcmpEcho {
  readonly type: typeof IcmpType.EchoRequest | typeof IcmpType.EchoReply;
  readonly identifier: number;
  readonly sequence: number;
  readonly payload: Uint8Array;
}

export interface DecodedIcmp {
  readonly type: number;
  readonly code: number;
  /** Echo request/reply only. */
  readonly identifier: number;
  readonly sequence: number;
  readonly checksumValid: boolean;
  /** Bytes of ICMP header plus data. */
  readonly length: number;
}

/** Writes an echo request or reply with its checksum at `offset`; returns the bytes written. */
export function encodeIcmpEcho(echo: IcmpEcho, into: Uint8Array, offset: number): number {
  const length = ICMP_ECHO_HEADER_SIZE + echo.payload.length;
  const view = new DataView(into.buffer, into.byteOffset + offset, length);
  view.setUint8(0, echo.type);
  view.setUint8(1, 0);
  view.setUint16(2, 0);
  view.setUint16(4, echo.identifier & 0xffff);
  view.setUint16(6, echo.sequence & 0xffff);
  into.set(echo.payload, offset + ICMP_ECHO_HEADER_SIZE);
  view.setUint16(2, internetChecksum(into, offset, offset + length));
  return length;
}

/** The ICMP message in `from[offset, end)`, or undefined when shorter than a header. */
export function decodeIcmp(from: Uint8Array, offset: number, end = from.length): DecodedIcmp | undefined {
  if (end - offset < ICMP_ECHO_HEADER_SIZE) return undefined;
  const view = new DataView(from.buffer, from.byteOffset + offset, ICMP_ECHO_HEADER_SIZE);
  return {
    type: view.getUint8(0),
    code: view.getUint8(1),
    identifier: view.getUint16(4),
    sequence: view.getUint16(6),
    checksumValid: internetChecksum(from, offset, end) === 0,
    length: end - offset,
  };
}
