import { describe, expect, it } from 'vitest';
import ack from '../fixtures/ack/cases.json';
import addRegion from '../fixtures/add-region/cases.json';
import addRing from '../fixtures/add-ring/cases.json';
import connect from '../fixtures/connect/cases.json';
import connected from '../fixtures/connected/cases.json';
import disconnect from '../fixtures/disconnect/cases.json';
import hello from '../fixtures/hello/cases.json';
import init from '../fixtures/init/cases.json';
import { decodeMsg, encodeMsg, encodeMsgInto, MSG_SIZE, type Msg } from '../src/index.ts';

interface GoldenCase {
  name: string;
  message: unknown;
  hex: string;
}

const fixtures: Record<string, GoldenCase[]> = {
  ack,
  hello,
  init,
  'add-region': addRegion,
  'add-ring': addRing,
  connect,
  connected,
  disconnect,
};

function fromHex(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (byte) => Number.parseInt(byte, 16));
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

describe('golden vectors from the C layout', () => {
  for (const [type, cases] of Object.entries(fixtures)) {
    describe(type, () => {
      for (const c of cases) {
        it(`${c.name}: encodes to the committed bytes`, () => {
          expect(toHex(encodeMsg(c.message as Msg))).toBe(c.hex);
        });
        it(`${c.name}: decodes from the committed bytes`, () => {
          expect(decodeMsg(fromHex(c.hex))).toEqual(c.message);
        });
        it(`${c.name}: encodes at an offset inside a larger, dirty buffer`, () => {
          const big = new Uint8Array(MSG_SIZE + 7).fill(0xaa);
          expect(encodeMsgInto(c.message as Msg, big, 5)).toBe(MSG_SIZE);
          expect(toHex(big.subarray(5, 5 + MSG_SIZE))).toBe(c.hex);
          expect(big[4]).toBe(0xaa);
          expect(big[5 + MSG_SIZE]).toBe(0xaa);
        });
      }
    });
  }

  it('covers every message type', () => {
    const types = new Set(Object.values(fixtures).flatMap((cases) => cases.map((c) => (c.message as Msg).type)));
    expect([...types].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
