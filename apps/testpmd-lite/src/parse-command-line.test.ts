import { describe, expect, it } from 'vitest';
import { CommandLineError } from './command-line-error.ts';
import { parseCommandLine } from './parse-command-line.ts';

const EAL = ['-l', '0-1', '--no-huge', '-m', '512', '--no-pci', '--file-prefix=t1'];
const VDEV = '--vdev=net_memif0,role=server,id=0,socket=/tmp/x.sock,socket-abstract=no';

function failure(argv: string[]): CommandLineError {
  try {
    parseCommandLine(argv);
  } catch (error) {
    if (CommandLineError.isInstance(error)) return error;
    throw error;
  }
  throw new Error(`parsed without error: ${argv.join(' ')}`);
}

describe('parseCommandLine', () => {
  it('reads the spec recipe for a dpdk-testpmd server', () => {
    const config = parseCommandLine([
      ...EAL,
      VDEV,
      '--',
      '--forward-mode=rxonly',
      '--auto-start',
      '--total-num-mbufs=8192',
      '--no-mlockall',
    ]);
    expect(config.vdevs).toHaveLength(1);
    expect(config.vdevs[0]).toMatchObject({
      name: 'net_memif0',
      options: { role: 'master', id: 0, socket: '/tmp/x.sock', socketAbstract: false },
    });
    expect(config.forwardMode).toBe('rxonly');
    expect(config.autoStart).toBe(true);
    expect(config.interactive).toBe(false);
    expect(config.ignoredEalOptions).toEqual(['-l 0-1', '--no-huge', '-m 512', '--no-pci', '--file-prefix=t1']);
    expect(config.ignoredAppOptions).toEqual(['--total-num-mbufs=8192', '--no-mlockall']);
  });

  it('takes values glued, after =, or as the next word, and repeated --vdev', () => {
    const config = parseCommandLine([
      '-l0-1',
      '--vdev',
      'net_memif0,role=server',
      '--vdev=net_memif1',
      '--main-lcore',
      '0',
      '--',
      '-i',
      '--txpkts',
      '64,1436',
      '--burst=64',
      '--rxq=2',
      '--txq=2',
    ]);
    expect(config.vdevs.map((v) => v.name)).toEqual(['net_memif0', 'net_memif1']);
    expect(config.vdevs[1]?.options.role).toBeUndefined(); // DPDK's default: client
    expect(config.ignoredEalOptions).toEqual(['-l 0-1', '--main-lcore=0']);
    expect(config).toMatchObject({ interactive: true, txPacketSizes: [64, 1436], burst: 64, rxQueues: 2, txQueues: 2 });
  });

  it('has testpmd defaults', () => {
    const config = parseCommandLine(['--vdev=net_memif0']);
    expect(config).toMatchObject({
      forwardMode: 'io',
      burst: 32,
      txPacketSizes: [64],
      statsPeriod: 0,
      rxQueues: 1,
      txQueues: 1,
      interactive: false,
    });
  });

  it('reads --eth-peer and --stats-period', () => {
    const config = parseCommandLine(['--vdev=net_memif0', '--', '--eth-peer=0,02:00:00:00:00:09', '--stats-period=2', '-a', '--tx-first']);
    expect([...(config.ethPeers.get(0) ?? [])]).toEqual([2, 0, 0, 0, 0, 9]);
    expect(config).toMatchObject({ statsPeriod: 2, autoStart: true, txFirst: true });
  });

  it('rejects an unknown EAL option in getopt wording', () => {
    const error = failure(['--bogus']);
    expect(error.message).toBe("testpmd-lite: unrecognized option '--bogus'");
    expect(error).toMatchObject({ section: 'eal', option: '--bogus', showUsage: true, exitCause: 'Cannot init EAL: Invalid argument' });
  });

  it('rejects an unknown testpmd option in getopt wording', () => {
    const error = failure(['--vdev=net_memif0', '--', '--bogus']);
    expect(error.message).toBe("testpmd-lite: unrecognized option '--bogus'");
    expect(error).toMatchObject({ section: 'app', exitCause: 'Command line is incomplete or incorrect' });
    expect(failure(['-x']).message).toBe("testpmd-lite: invalid option -- 'x'");
  });

  it('says which option lacks its value or must not have one', () => {
    expect(failure(['--vdev']).message).toBe("testpmd-lite: option '--vdev' requires an argument");
    expect(failure(['-l']).message).toBe("testpmd-lite: option requires an argument -- 'l'");
    expect(failure(['--no-huge=1']).message).toBe("testpmd-lite: option '--no-huge' doesn't allow an argument");
  });

  it("accepts lite-rxcopy, testpmd-lite's own receiver that copies every frame, by its full name only", () => {
    expect(parseCommandLine(['--vdev=net_memif0', '--', '--forward-mode=lite-rxcopy'])).toMatchObject({
      forwardMode: 'lite-rxcopy',
      warnings: [],
    });
    expect(parseCommandLine(['--vdev=net_memif0', '--', '--forward-mode', 'lite-rxcopy']).forwardMode).toBe('lite-rxcopy');
    expect(parseCommandLine(['--vdev=net_memif0', '--', '--forward-mode=rxcopy'])).toMatchObject({
      forwardMode: 'io',
      warnings: [
        'Invalid rxcopy packet forwarding mode (the modes are io, mac, macswap, rxonly, txonly, icmpecho, lite-rxcopy); keeping io',
      ],
    });
  });

  it('names the allowed forwarding modes and value ranges', () => {
    expect(failure(['--vdev=net_memif0', '--', '--forward-mode=csum']).message).toBe(
      'Invalid csum packet forwarding mode (testpmd-lite implements io, mac, macswap, rxonly, txonly, icmpecho, lite-rxcopy)',
    );
    expect(parseCommandLine(['--vdev=net_memif0', '--', '--forward-mode=nosuch'])).toMatchObject({
      forwardMode: 'io',
      warnings: [
        'Invalid nosuch packet forwarding mode (the modes are io, mac, macswap, rxonly, txonly, icmpecho, lite-rxcopy); keeping io',
      ],
    });
    expect(failure(['--vdev=net_memif0', '--', '--burst=0']).message).toBe('burst must be >= 1 and <= 512 (--burst=0)');
    expect(failure(['--vdev=net_memif0', '--', '--burst=abc']).option).toBe('--burst');
    expect(failure(['--vdev=net_memif0', '--', '--rxq=300']).message).toContain('must be >= 1 && <= 255');
    expect(failure(['--vdev=net_memif0', '--', '--txpkts=20']).message).toContain('total packet length=20 < 42');
    expect(failure(['--vdev=net_memif0', '--', '--txpkts=64,x']).message).toContain("bad segment size 'x'");
    expect(failure(['--vdev=net_memif0', '--', '--eth-peer=0,zz']).message).toContain('expected X,M:M:M:M:M:M');
    expect(failure(['--vdev=net_memif0', '--', '--eth-peer=40,02:00:00:00:00:01']).message).toContain('RTE_MAX_ETHPORTS(32)');
    expect(failure(['--vdev=net_memif0', '--', '--stats-period=-1']).option).toBe('--stats-period');
  });

  it('reports bad devargs with the device and key, in @memif/memif (DPDK) wording', () => {
    const error = failure(['--vdev=net_memif0,role=boss']);
    expect(error.option).toBe('--vdev');
    expect(error.message).toContain('net_memif0: Unknown role: boss (server, client, or the older master, slave).');
    expect(failure(['--vdev=net_pcap0,iface=eth0']).message).toContain('is not a memif device');
    expect(failure(['--vdev=net_memif0,bogus=1']).message).toContain("Unknown argument 'bogus'");
  });

  it('takes rx-mode=adaptive with adaptive-idle-us, and names the choices of a bad value', () => {
    const config = parseCommandLine(['--vdev=net_memif0,role=server,rx-mode=adaptive,adaptive-idle-us=1000']);
    expect(config.vdevs[0]?.options).toMatchObject({ rxMode: 'adaptive', adaptiveIdleMicroseconds: 1000 });
    expect(failure(['--vdev=net_memif0,rx-mode=spin']).message).toContain(
      'net_memif0: Invalid rx-mode: spin (interrupt, polling or adaptive).',
    );
    expect(failure(['--vdev=net_memif0,rx-mode=adaptive,adaptive-idle-us=-5']).message).toContain(
      'Invalid adaptive-idle-us: -5 (a decimal integer up to 1000000).',
    );
  });

  it('rejects stray words', () => {
    expect(failure(['--vdev=net_memif0', 'stray']).message).toContain("unexpected argument 'stray'");
    expect(failure(['--vdev=net_memif0', '--', 'stray']).message).toContain("unexpected argument 'stray'");
  });
});
