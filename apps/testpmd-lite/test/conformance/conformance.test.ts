// dpdk-testpmd and testpmd-lite, run side by side with the same command line, must look the same
// to a script (issue #15): exit status, whether they keep running with stdin at EOF, the order of
// the lines scripts wait for, signals, --tx-first with a late peer, piped prompt commands, and
// refusals of bad options. Deliberate differences are listed in the app's README.
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testpmd, type TestpmdOptions } from '@memif/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { countOf, forwardStatistics, keyLineOrder } from './key-lines.ts';
import { lite, reference, type Subject } from './subjects.ts';

const started: Testpmd[] = [];
const socketFiles: string[] = [];
let sockets = 0;

afterEach(async () => {
  for (const run of started.splice(0).reverse()) await run.stop();
  for (const file of socketFiles.splice(0)) rmSync(file, { force: true });
});

function socketPath(): string {
  const path = join(tmpdir(), `testpmd-conformance-${process.pid}-${++sockets}.sock`);
  socketFiles.push(path);
  return path;
}

const vdev = (role: 'server' | 'client', socket: string): string => `net_memif0,role=${role},id=0,socket=${socket},socket-abstract=no`;

async function launch(subject: Subject, options: TestpmdOptions): Promise<Testpmd> {
  const command = subject.command === undefined ? {} : { command: subject.command };
  const run = await Testpmd.start({ startTimeoutMs: 60_000, ...options, ...command });
  started.push(run);
  return run;
}

/** The dpdk-testpmd every scenario that needs a peer talks to, whichever program is observed. */
async function dpdkPeer(role: 'server' | 'client', socket: string, mode: string): Promise<Testpmd> {
  const peer = await launch(reference, { vdevs: [vdev(role, socket)], appArgs: [`--forward-mode=${mode}`] });
  await peer.startForwarding();
  return peer;
}

interface Observation {
  readonly exitCode: number | null;
  readonly killedBy: string | null;
  readonly keptRunning?: boolean;
  readonly order: readonly string[];
}

async function finish(run: Testpmd, signal?: NodeJS.Signals): Promise<Observation & { output: string }> {
  if (signal !== undefined) run.signal(signal);
  const exitCode = await run.exited(30_000);
  return { exitCode, killedBy: run.signalCode, order: keyLineOrder(run.output), output: run.output };
}

/** Runs `scenario` with the reference, then with testpmd-lite, and returns both observations. */
async function sideBySide<T>(scenario: (subject: Subject) => Promise<T>): Promise<{ dpdk: T; lite: T }> {
  const dpdk = await scenario(reference);
  for (const run of started.splice(0).reverse()) await run.stop();
  return { dpdk, lite: await scenario(lite) };
}

const strip = <T extends { output: string }>(o: T): Omit<T, 'output'> => {
  const { output: _output, ...rest } = o;
  return rest;
};

describe('testpmd-lite conforms to dpdk-testpmd as a script sees it', { timeout: 240_000 }, () => {
  it.each<NodeJS.Signals>(['SIGINT', 'SIGTERM'])(
    '--stats-period with stdin at EOF: keeps forwarding and printing until %s, then exits 0',
    async (signal) => {
      const observed = await sideBySide(async (subject) => {
        const socket = socketPath();
        const run = await launch(subject, {
          vdevs: [vdev('server', socket)],
          interactive: false,
          input: '',
          appArgs: ['--forward-mode=rxonly', '--auto-start', '--stats-period=1'],
          ready: /^Port statistics =+$/m,
        });
        await run.waitFor(/(Port statistics =+[\s\S]*){3}/, 30_000);
        const keptRunning = run.running;
        const result = await finish(run, signal);
        return { ...result, keptRunning, socketLeft: existsSync(socket) };
      });
      expect(strip(observed.dpdk)).toMatchObject({ exitCode: 0, keptRunning: true, socketLeft: false });
      expect(observed.dpdk.order).not.toContain('press enter');
      expect(strip(observed.lite)).toEqual(strip(observed.dpdk));
    },
  );

  it('without --stats-period and stdin at EOF: "Press enter to exit", then stops at once with exit code 0', async () => {
    const observed = await sideBySide(async (subject) => {
      const run = await launch(subject, {
        vdevs: [vdev('server', socketPath())],
        interactive: false,
        input: '',
        appArgs: ['--forward-mode=rxonly', '--auto-start'],
        ready: /Checking link statuses/,
      });
      return finish(run);
    });
    expect(strip(observed.dpdk)).toEqual({
      exitCode: 0,
      killedBy: null,
      order: ['link check', 'start banner', 'forwarding config', 'press enter', 'forward statistics', 'bye'],
    });
    expect(strip(observed.lite)).toEqual(strip(observed.dpdk));
  });

  it('without --stats-period and stdin open: keeps running until SIGTERM, then exits 0', async () => {
    const observed = await sideBySide(async (subject) => {
      const run = await launch(subject, {
        vdevs: [vdev('server', socketPath())],
        interactive: false,
        appArgs: ['--forward-mode=rxonly', '--auto-start'],
      });
      // Nothing is printed while it waits for Enter: give it time to (wrongly) leave.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const keptRunning = run.running;
      return { ...(await finish(run, 'SIGTERM')), keptRunning };
    });
    expect(strip(observed.dpdk)).toMatchObject({ exitCode: 0, keptRunning: true });
    expect(strip(observed.lite)).toEqual(strip(observed.dpdk));
  });

  it.each<'server' | 'client'>(['server', 'client'])(
    'as %s, rxonly with --stats-period and stdin at EOF, forwards what a dpdk-testpmd peer sends until SIGINT',
    async (role) => {
      const observed = await sideBySide(async (subject) => {
        const socket = socketPath();
        if (role === 'client') await dpdkPeer('server', socket, 'txonly');
        const run = await launch(subject, {
          vdevs: [vdev(role, socket)],
          interactive: false,
          input: '',
          appArgs: ['--forward-mode=rxonly', '--auto-start', '--stats-period=1'],
          ready: /^Port statistics =+$/m,
        });
        if (role === 'server') await dpdkPeer('client', socket, 'txonly');
        await run.waitFor(/NIC statistics for port 0\s+#+\s*\n\s*RX-packets: [1-9]/, 60_000);
        const keptRunning = run.running;
        const result = await finish(run, 'SIGINT');
        return { ...result, keptRunning, received: (forwardStatistics(result.output)?.rxPackets ?? 0) > 0 };
      });
      expect(strip(observed.dpdk)).toMatchObject({ exitCode: 0, keptRunning: true, received: true });
      expect(strip(observed.lite)).toEqual(strip(observed.dpdk));
    },
  );

  it('--tx-first as server with a client that connects late: waits for the link, then sends its burst', async () => {
    const observed = await sideBySide(async (subject) => {
      const socket = socketPath();
      const run = await launch(subject, {
        vdevs: [vdev('server', socket)],
        interactive: false,
        input: '',
        appArgs: ['--forward-mode=io', '--auto-start', '--tx-first', '--stats-period=1'],
        ready: /Checking link statuses\.\.\.\n/,
      });
      await dpdkPeer('client', socket, 'io');
      await run.waitFor(/^Port statistics =+$/m, 30_000);
      const result = await finish(run, 'SIGINT');
      const stats = forwardStatistics(result.output);
      return { ...result, burstCounted: stats !== undefined && stats.txPackets + stats.txDropped >= 32 };
    });
    expect(observed.dpdk.order.slice(0, 3)).toEqual(['link check', 'link up', 'start banner']);
    expect(strip(observed.dpdk)).toMatchObject({ exitCode: 0, burstCounted: true });
    expect(strip(observed.lite)).toEqual(strip(observed.dpdk));
  });

  it('--tx-first as client of a dpdk-testpmd server in io mode: the burst goes out after the link is up and bounces', async () => {
    const observed = await sideBySide(async (subject) => {
      const socket = socketPath();
      await dpdkPeer('server', socket, 'io');
      const run = await launch(subject, {
        vdevs: [vdev('client', socket)],
        interactive: false,
        input: '',
        appArgs: ['--forward-mode=io', '--auto-start', '--tx-first', '--stats-period=1'],
        ready: /^Port statistics =+$/m,
      });
      await run.waitFor(/NIC statistics for port 0\s+#+\s*\n\s*RX-packets: [1-9]/, 30_000);
      const result = await finish(run, 'SIGINT');
      const stats = forwardStatistics(result.output);
      return { ...result, bounced: stats !== undefined && stats.rxPackets > 0 && stats.txPackets >= 32 };
    });
    expect(strip(observed.dpdk)).toMatchObject({ exitCode: 0, bounced: true });
    expect(strip(observed.lite)).toEqual(strip(observed.dpdk));
  });

  it('-i with commands piped in: the same answers in the same order, exit code 0', async () => {
    const commands = [
      'show port stats 0',
      'start',
      'start tx_first',
      'stop',
      'stop',
      'bogus',
      'start tx_first',
      'show port stats 0',
      'stop',
      'quit',
    ];
    const observed = await sideBySide(async (subject) => {
      const run = await launch(subject, {
        vdevs: [vdev('server', socketPath())],
        input: `${commands.join('\n')}\n`,
        ready: /Checking link statuses/,
      });
      const result = await finish(run);
      return {
        ...result,
        forwardBlocks: countOf(result.output, /Forward statistics for port 0/g),
        nicBlocks: countOf(result.output, /NIC statistics for port 0/g),
        // Written to stderr by both, so only their presence is compared, not their place.
        complaints: ['already started', 'not started'].filter((line) => result.order.includes(line)),
        order: result.order.filter((line) => line !== 'already started' && line !== 'not started'),
      };
    });
    expect(strip(observed.dpdk)).toMatchObject({
      exitCode: 0,
      forwardBlocks: 2,
      nicBlocks: 2,
      complaints: ['already started', 'not started'],
    });
    expect(strip(observed.lite)).toEqual(strip(observed.dpdk));
  });

  it('warns about an unknown forwarding mode and keeps forwarding in io mode', async () => {
    const observed = await sideBySide(async (subject) => {
      const run = await launch(subject, {
        vdevs: [vdev('server', socketPath())],
        interactive: false,
        input: '',
        appArgs: ['--forward-mode=nosuch'],
        ready: /Checking link statuses/,
      });
      const result = await finish(run);
      return {
        ...result,
        warned: /^Invalid nosuch packet forwarding mode/m.test(result.output),
        io: /^io packet forwarding - ports=1/m.test(result.output),
      };
    });
    expect(strip(observed.dpdk)).toMatchObject({ exitCode: 0, warned: true, io: true });
    expect(strip(observed.lite)).toEqual(strip(observed.dpdk));
  });

  it.each([
    ['an unknown testpmd option', [], ['--bogus']],
    ['a burst of 0', [], ['--burst=0']],
    ['too many rx queues', [], ['--rxq=1000']],
    ['a bad stats period', [], ['--stats-period=soon']],
    ['an unknown EAL option', ['--bogus-eal'], []],
  ])('refuses %s with exit code 1 and the EAL cause line', async (_, ealArgs, appArgs) => {
    const observed = await sideBySide(async (subject) => {
      const run = await launch(subject, {
        vdevs: [vdev('server', socketPath())],
        ealArgs,
        appArgs,
        interactive: false,
        input: '',
        ready: /[\s\S]/,
      });
      const result = await finish(run);
      return {
        exitCode: result.exitCode,
        cause: /^EAL: Error - exiting with code: 1\n\s+Cause: /m.test(result.output),
        output: result.output,
      };
    });
    expect(strip(observed.dpdk)).toEqual({ exitCode: 1, cause: true });
    expect(strip(observed.lite)).toEqual(strip(observed.dpdk));
  });
});
