import type { Impl, PmdOptions } from './pmd-process.ts';
import type { Pattern } from './throughput.ts';

/** The forwarding mode of a pattern's receiver (one-way) or of both sides (two-way). */
export function receiverMode(pattern: Pattern, impl: Impl): PmdOptions['forwardMode'] {
  if (pattern === 'two-way') return 'io';
  // dpdk-testpmd's rxonly already copies every frame (its memif rx copies into mbufs).
  return pattern === 'one-way-copy' && impl === 'node' ? 'lite-rxcopy' : 'rxonly';
}

/**
 * What a receiving process does with each frame's bytes in a pattern, as the table's "work per
 * frame" column says it: DPDK's memif PMD copies every received frame into an mbuf, and in io
 * copies it again from the mbuf into its tx ring; testpmd-lite's rxonly reads no payload (views),
 * lite-rxcopy copies it once into mbuf-sized buffers, and io copies it once ring to ring.
 */
export function receiverWork(pattern: Pattern, impl: Impl): string {
  if (pattern === 'two-way') return impl === 'dpdk' ? '2 copies' : '1 copy';
  if (impl === 'dpdk') return 'copy';
  return pattern === 'one-way-copy' ? 'copy' : 'none';
}

/**
 * The "work per frame" cell of a pair: the receiver's work one-way, both sides' two-way, and
 * whether it equals the work of the dpdk-testpmd -> dpdk-testpmd reference of the same pattern.
 */
export function workCell(pattern: Pattern, from: Impl, to: Impl): string {
  const reference = receiverWork(pattern, 'dpdk');
  const sides = pattern === 'two-way' ? [receiverWork(pattern, from), receiverWork(pattern, to)] : [receiverWork(pattern, to)];
  const text = pattern === 'two-way' ? `${sides[0]} / ${sides[1]}` : (sides[0] as string);
  return sides.every((work) => work === reference) ? `${text}, equal` : `${text}, **not equal**`;
}
