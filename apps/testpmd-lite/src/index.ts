/**
 * The testpmd-like sample app is built out once @memif/memif exists; until then it only says so.
 */
export function run(): number {
  process.stderr.write('testpmd-lite: not available yet; it is built on @memif/memif.\n');
  return 1;
}
