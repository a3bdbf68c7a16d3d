/**
 * The lines a script waits for or parses in testpmd's output (stdout and stderr as they arrive,
 * so stderr may interleave), by name. Their order in one run is
 * what the conformance suite compares: a script that waits for "Press enter to exit" before the
 * statistics must see the same sequence from either program.
 */
const KEY_LINES: ReadonlyArray<readonly [string, RegExp]> = [
  ['start banner', /^(No commandline core given, start packet forwarding|Start automatic packet forwarding)$/m],
  ['forwarding config', /^\w+ packet forwarding - ports=\d+ - cores=\d+/m],
  ['link up', /^Port 0 Link up/m],
  ['link down', /^Port 0 Link down/m],
  ['link check', /^Checking link statuses\.\.\.$/m],
  ['press enter', /^Press enter to exit$/m],
  ['port statistics', /^Port statistics =+$/m],
  ['nic statistics', /NIC statistics for port 0/],
  // Not anchored: written to stderr, they can land right after a `testpmd> ` prompt.
  ['already started', /Packet forwarding already started/],
  ['not started', /Packet forwarding not started/],
  ['command not found', /Command not found/],
  ['forward statistics', /Forward statistics for port 0/],
  ['bye', /^Bye\.\.\.$/m],
];

/** The key lines of `output` in the order of their first appearance. */
export function keyLineOrder(output: string): string[] {
  return KEY_LINES.map(([name, pattern]) => ({ name, at: output.search(pattern) }))
    .filter(({ at }) => at >= 0)
    .sort((a, b) => a.at - b.at)
    .map(({ name }) => name);
}

/** How often `pattern` (a global regex) matches `output`. */
export function countOf(output: string, pattern: RegExp): number {
  return [...output.matchAll(pattern)].length;
}

/** The forward statistics of port 0 at the end of a run. */
export function forwardStatistics(output: string): { rxPackets: number; txPackets: number; txDropped: number } | undefined {
  const block = output.match(
    /Forward statistics for port 0\s+-+\s*\n\s*RX-packets: (\d+)\s+RX-dropped: \d+\s+RX-total: \d+\s*\n\s*TX-packets: (\d+)\s+TX-dropped: (\d+)/,
  );
  if (block === null) return undefined;
  return { rxPackets: Number(block[1]), txPackets: Number(block[2]), txDropped: Number(block[3]) };
}
