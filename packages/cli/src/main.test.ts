import { describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import type { CommandIo } from './command-io.ts';
import { main } from './main.ts';

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

describe('memif main', () => {
  it('lists the commands', async () => {
    const { code, stdout } = await run('--help');
    expect(code).toBe(0);
    for (const command of ['ping', 'inspect', 'capture', 'replay']) expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it('prints the version', async () => {
    expect(await run('--version')).toEqual({ code: 0, stdout: `${packageJson.version}\n`, stderr: '' });
  });

  it('has --help for every command', async () => {
    for (const command of ['ping', 'inspect', 'capture', 'replay']) {
      const { code, stdout } = await run(command, '--help');
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^Usage: memif ${command} `));
    }
  });

  it('exits with 2 and says what to fix on usage errors', async () => {
    expect(await run('pong')).toMatchObject({ code: 2, stderr: expect.stringContaining("unknown command 'pong'") });
    expect(await run()).toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining('Usage: memif <command>') });
    const cases: Array<[string[], RegExp]> = [
      [['ping', '192.168.1.2'], /--ip <a\.b\.c\.d\/len> is required/],
      [['ping', '--ip', '192.168.1.1/24'], /expected one target address, got none/],
      [['ping', '--ip', '192.168.1.1/24', '--count', '0', '192.168.1.2'], /-c\/--count must be an integer from 1/],
      [['ping', '--ip', '192.168.1.300/24', '10.0.0.1'], /--ip: '192\.168\.1\.300' is not an IPv4 address/],
      [['ping', '--ip', '192.168.1.1', '10.0.0.1'], /--ip: '192\.168\.1\.1' needs a prefix length from 0 to 32/],
      [['ping', '--ip', '10.0.0.1/24', '--rsize', '99', '10.0.0.2'], /--rsize: .*ring size/],
      [['ping', '--bogus'], /Unknown option '--bogus'/],
      [['inspect'], /expected one socket/],
      [['inspect', '/tmp/x', '--mode', 'token-ring'], /--mode must be one of ethernet, ip, punt-inject/],
      [['inspect', '/tmp/x', '--secret', 'x'.repeat(24)], /--secret may have at most 23 bytes/],
      [['capture', 'out.pcap'], /unexpected argument 'out\.pcap'/],
      [['capture', '--duration', 'soon'], /--duration must be a number/],
      [['replay'], /expected one pcap file/],
      [['replay', 'x.pcap', '--rate', '10', '--topspeed'], /--rate and --topspeed exclude each other/],
    ];
    for (const [args, message] of cases) {
      const result = await run(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
      expect(result.stderr).toContain(`Run 'memif ${args[0]} --help'`);
    }
  });

  it('exits with 1 when a pcap file cannot be read', async () => {
    const result = await run('replay', '/nonexistent/frames.pcap');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot read \/nonexistent\/frames\.pcap: .*ENOENT/);
  });
});
