/**
 * A string a peer chose (interface and application names, DISCONNECT reasons), made safe to
 * print to a terminal or a log: C0 and C1 control characters, DEL, and the Unicode line and
 * bidirectional-override marks become visible escapes (`\x1b`, `\u202e`), and backslashes are
 * doubled so an escape cannot be forged. Everything else stays as sent.
 */
export function escapePeerText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\\\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (c === '\\') return '\\\\';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
