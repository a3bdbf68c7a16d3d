/** Names the set bits of a flags word from `known` (bit, name) pairs; unknown bits in hex. */
export function describeFlags(value: number, known: readonly (readonly [number, string])[]): string {
  const names: string[] = [];
  let unknown = value;
  for (const [bit, name] of known) {
    if (value & bit) names.push(name);
    unknown &= ~bit;
  }
  if (unknown !== 0) names.push(`unknown(0x${unknown.toString(16)})`);
  return names.length === 0 ? '0' : names.join('|');
}
