import packageJson from '../package.json' with { type: 'json' };
import { captureCommand } from './capture-command.ts';
import { CommandFailure } from './command-failure.ts';
import { type CommandIo, processIo } from './command-io.ts';
import { inspectCommand } from './inspect-command.ts';
import { pingCommand } from './ping-command.ts';
import { replayCommand } from './replay-command.ts';
import { UsageError } from './usage-error.ts';

type Command = (args: readonly string[], io: CommandIo) => Promise<number>;

const commands: Record<string, { summary: string; run: Command }> = {
  ping: { summary: "ping an IPv4 address over a memif (answers ARP, like VPP in DPDK's walkthrough)", run: pingCommand },
  inspect: { summary: 'show what a memif server announces, and whether it accepts an id/secret', run: inspectCommand },
  capture: { summary: 'receive on a memif, decode each frame, write a pcap file', run: captureCommand },
  replay: { summary: 'send the frames of a pcap file into a memif', run: replayCommand },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const list = Object.entries(commands)
    .map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`)
    .join('\n');
  return `Usage: memif <command> [options]

memif (DPDK/VPP shared-memory packet interface) tools, wire-compatible with DPDK net_memif.

Commands:
${list}

Options:
  -h, --help     show this help (memif <command> --help for a command)
  -v, --version  print the version

Exit status: 0 ok, 1 the command failed (no reply, refused, not connected), 2 usage error.
`;
}

/** Runs the `memif` command with its arguments and resolves to the exit code. */
export async function main(args: readonly string[], io: CommandIo = processIo): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined) {
    io.stderr.write(usage());
    return 2;
  }
  if (name === '-h' || name === '--help' || name === 'help') {
    io.stdout.write(usage());
    return 0;
  }
  if (name === '-v' || name === '--version') {
    io.stdout.write(`${packageJson.version}\n`);
    return 0;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (command === undefined) {
    io.stderr.write(`memif: unknown command '${name}' (commands: ${Object.keys(commands).join(', ')}). Run 'memif --help'.\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (UsageError.isInstance(error)) {
      io.stderr.write(`memif ${name}: ${error.message}\nRun 'memif ${name} --help' for the options.\n`);
      return 2;
    }
    if (CommandFailure.isInstance(error)) {
      io.stderr.write(`memif ${name}: ${error.message}\n${error.hint === undefined ? '' : `hint: ${error.hint}\n`}`);
      return 1;
    }
    io.stderr.write(`memif ${name}: ${(error as Error).message ?? String(error)}\n`);
    return 1;
  }
}
