import { describe, expect, it } from 'vitest';
import { escapePeerText } from './escape-peer-text.ts';

describe('escapePeerText', () => {
  it('makes terminal escapes, newlines and bell visible', () => {
    expect(escapePeerText('\x1b[2J\x1b]0;pwned\x07x\r\ny')).toBe('\\x1b[2J\\x1b]0;pwned\\x07x\\x0d\\x0ay');
  });

  it('escapes C1 controls, DEL and bidi overrides, and doubles backslashes so escapes cannot be forged', () => {
    expect(escapePeerText('a\x7f\x9bb')).toBe('a\\x7f\\x9bb');
    expect(escapePeerText('abc\u202etxt.exe')).toBe('abc\\u202etxt.exe');
    expect(escapePeerText('\\x1b')).toBe('\\\\x1b');
  });

  it('leaves ordinary names alone, UTF-8 included', () => {
    expect(escapePeerText('memif-node 1.0 / net_memif0 Größe')).toBe('memif-node 1.0 / net_memif0 Größe');
  });
});
