const usage = `Usage: memif <command> [options]

This release has no commands yet: ping, inspect, capture and replay arrive with the
@memif/memif interface. Options:
  -h, --help     show this help
`;

/** Runs the `memif` command with its arguments and resolves to the exit code. */
export async function main(args: readonly string[]): Promise<number> {
  if (args.length === 0 || args[0] === '-h' || args[0] === '--help') {
    process.stdout.write(usage);
    return 0;
  }
  process.stderr.write(`memif: unknown command '${args[0]}'. Run 'memif --help' for the list.\n`);
  return 2;
}
