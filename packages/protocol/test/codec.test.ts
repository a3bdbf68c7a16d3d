import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeMsg,
  decodeMsgAt,
  encodeMsg,
  encodeMsgInto,
  interfaceModeToString,
  MSG_SIZE,
  type Msg,
  MsgAddRegion,
  MsgHello,
  MsgType,
  msgFdPolicy,
  msgTypeToString,
  ProtocolError,
} from '../src/index.ts';
import { anyMsg } from './arbitraries.ts';

function expectProtocolError(fn: () => unknown, code: string, field?: string): ProtocolError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(ProtocolError.isInstance(caught), `expected a ProtocolError, got ${String(caught)}`).toBe(true);
  const error = caught as ProtocolError;
  expect(error.code).toBe(code);
  if (field !== undefined) expect(error.field).toBe(field);
  return error;
}

describe('round trips', () => {
  it('decode(encode(msg)) is msg for every message type', () => {
    fc.assert(
      fc.property(anyMsg, (msg) => {
        expect(decodeMsg(encodeMsg(msg))).toEqual(msg);
      }),
      { numRuns: 2000 },
    );
  });

  it('encode(decode(bytes)) reproduces every byte that decode accepted, payload and padding aside', () => {
    fc.assert(
      fc.property(anyMsg, (msg) => {
        const bytes = encodeMsg(msg);
        expect(encodeMsg(decodeMsg(bytes))).toEqual(bytes);
      }),
    );
  });
});

describe('decoding hostile bytes', () => {
  it('any 128 bytes decode to a message or throw ProtocolError, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: MSG_SIZE, maxLength: MSG_SIZE }), fc.integer({ min: 0, max: 9 }), (bytes, type) => {
        // Bias the type field towards known types so the payload decoders are exercised too.
        bytes[0] = type;
        bytes[1] = 0;
        try {
          const msg = decodeMsg(bytes);
          expect(msg.type).toBe(type);
        } catch (error) {
          expect(ProtocolError.isInstance(error)).toBe(true);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('refuses datagrams that are not 128 bytes, as "Invalid message size" peers do', () => {
    for (const size of [0, 1, 127, 129, 256]) {
      expectProtocolError(() => decodeMsg(new Uint8Array(size)), 'ERR_MEMIF_MSG_SIZE', 'size');
    }
  });

  it('throws RangeError when fewer than 128 bytes remain at an offset', () => {
    expect(() => decodeMsgAt(new Uint8Array(200), 100)).toThrow(RangeError);
    expect(() => decodeMsgAt(new Uint8Array(128), -1)).toThrow(RangeError);
  });

  it('names unknown types, including type 0', () => {
    for (const type of [0, 9, 0xffff]) {
      const bytes = new Uint8Array(MSG_SIZE);
      new DataView(bytes.buffer).setUint16(0, type, true);
      const error = expectProtocolError(() => decodeMsg(bytes), 'ERR_MEMIF_MSG_TYPE', 'type');
      expect(error.message).toContain(msgTypeToString(type));
    }
  });

  it('refuses an INIT mode outside 0..2, naming the field and the range', () => {
    const bytes = encodeMsg({ type: MsgType.Init, version: 0x200, id: 0, mode: 0, secret: '', name: '' });
    bytes[8] = 3;
    const error = expectProtocolError(() => decodeMsg(bytes), 'ERR_MEMIF_FIELD_RANGE', 'init.mode');
    expect(error.message).toMatch(/0 \(ethernet\), 1 \(ip\) or 2/);
  });

  it('refuses an ADD_REGION size beyond 2^53 - 1 instead of rounding it', () => {
    const bytes = encodeMsg({ type: MsgType.AddRegion, index: 0, size: 0 });
    new DataView(bytes.buffer).setBigUint64(4, 2n ** 53n, true);
    expectProtocolError(() => decodeMsg(bytes), 'ERR_MEMIF_FIELD_RANGE', 'addRegion.size');
  });

  it('reads a string field with no NUL terminator as peers do (strlcpy: 31 bytes), never beyond it', () => {
    const bytes = encodeMsg({ type: MsgType.Connect, ifName: '' });
    bytes.fill(0x41, 2, 34);
    bytes[34] = 0x42;
    const msg = decodeMsg(bytes);
    expect(msg).toEqual({ type: MsgType.Connect, ifName: 'A'.repeat(31) });
    // What we decode we can encode again.
    expect(decodeMsg(encodeMsg(msg))).toEqual(msg);
  });

  it('a codec refuses bytes of another message type', () => {
    const bytes = encodeMsg({ type: MsgType.Ack });
    expectProtocolError(() => MsgHello.decode(bytes), 'ERR_MEMIF_MSG_TYPE');
  });
});

describe('encoding refuses values that do not fit', () => {
  const init = { type: MsgType.Init, version: 0x200, id: 1, mode: 0, secret: '', name: 'app' } as const;

  it('a secret over 23 bytes', () => {
    const error = expectProtocolError(() => encodeMsg({ ...init, secret: 'x'.repeat(24) }), 'ERR_MEMIF_FIELD_STRING', 'init.secret');
    expect(error.message).toMatch(/at most 23 bytes/);
    encodeMsg({ ...init, secret: 'x'.repeat(23) });
  });

  it('a name over 31 bytes, counting UTF-8 bytes', () => {
    expectProtocolError(() => encodeMsg({ ...init, name: 'n'.repeat(32) }), 'ERR_MEMIF_FIELD_STRING', 'init.name');
    expectProtocolError(() => encodeMsg({ ...init, name: 'é'.repeat(16) }), 'ERR_MEMIF_FIELD_STRING', 'init.name');
    expect(decodeMsg(encodeMsg({ ...init, name: 'é'.repeat(15) }))).toMatchObject({ name: 'é'.repeat(15) });
  });

  it('an id over 2^32 - 1, negative or fractional', () => {
    for (const id of [2 ** 32, -1, 1.5, Number.NaN]) {
      const error = expectProtocolError(() => encodeMsg({ ...init, id }), 'ERR_MEMIF_FIELD_RANGE', 'init.id');
      expect(error.message).toMatch(/from 0 to 4294967295/);
    }
  });

  it('a NUL inside a string, which a peer would silently cut', () => {
    expectProtocolError(() => encodeMsg({ type: MsgType.Connect, ifName: 'a\0b' }), 'ERR_MEMIF_FIELD_STRING', 'connect.ifName');
  });

  it('a disconnect reason over 95 bytes', () => {
    expectProtocolError(() => encodeMsg({ type: MsgType.Disconnect, code: 0, reason: 'r'.repeat(96) }), 'ERR_MEMIF_FIELD_STRING');
  });

  it('a region size that is not a safe integer', () => {
    expectProtocolError(() => encodeMsg({ type: MsgType.AddRegion, index: 0, size: 2 ** 53 }), 'ERR_MEMIF_FIELD_RANGE');
  });

  it('an unknown message type', () => {
    expectProtocolError(() => encodeMsg({ type: 42 } as unknown as Msg), 'ERR_MEMIF_MSG_TYPE');
  });

  it('a refused encode leaves no valid-looking message behind', () => {
    const into = encodeMsg({ type: MsgType.Ack });
    expect(() => MsgAddRegion.encode({ type: MsgType.AddRegion, index: 70000, size: 1 }, into)).toThrow();
    expect(into[0]).toBe(0);
  });

  it('a short buffer throws RangeError', () => {
    expect(() => encodeMsgInto({ type: MsgType.Ack }, new Uint8Array(127))).toThrow(RangeError);
  });
});

describe('constants', () => {
  it('knows which messages carry an fd', () => {
    const carrying = [1, 2, 3, 4, 5, 6, 7, 8].filter((t) => msgFdPolicy(t as MsgType) === 'required');
    expect(carrying).toEqual([MsgType.AddRegion, MsgType.AddRing]);
  });

  it('names values, known or not, without throwing', () => {
    expect(msgTypeToString(MsgType.AddRing)).toBe('ADD_RING');
    expect(msgTypeToString(77)).toBe('UNKNOWN(77)');
    expect(interfaceModeToString(1)).toBe('ip');
    expect(interfaceModeToString(9)).toBe('unknown(9)');
  });
});
