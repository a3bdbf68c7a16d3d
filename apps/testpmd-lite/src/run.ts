import { CommandLineError } from './command-line-error.ts';
import { formatNicStats } from './format-statistics.ts';
import { runInteractivePrompt } from './interactive-prompt.ts';
import { APP_USAGE, EAL_USAGE, PROGRAM, parseCommandLine, type TestpmdConfig } from './parse-command-line.ts';
import { type Print, TestpmdApp } from './testpmd-app.ts';

const print: Print = (text) => void process.stdout.write(text);
const printError: Print = (text) => void process.stderr.write(text);

/** ANSI clear-screen and home, which testpmd's periodic statistics print first. */
const CLEAR_SCREEN = '\u001b[2J\u001b[1;1H';

function exitWithError(error: CommandLineError): number {
  printError(`${error.message}\n`);
  if (error.showUsage) printError(error.section === 'eal' ? EAL_USAGE : APP_USAGE);
  printError(`EAL: Error - exiting with code: 1\n  Cause: ${error.exitCause}\n`);
  return 1;
}

/**
 * testpmd-lite's whole life: parse the command line, open the ports, check their links, then
 * either the prompt (`-i`) or forwarding: with --stats-period until SIGINT or SIGTERM, otherwise
 * until Enter, end of stdin or a signal; then stop, print the forward statistics, close the ports
 * (unlinking listener sockets) and resolve with the exit code.
 */
export async function run(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  let config: TestpmdConfig;
  try {
    config = parseCommandLine(argv);
  } catch (error) {
    if (CommandLineError.isInstance(error)) return exitWithError(error);
    throw error;
  }
  if (config.help) {
    print(`${EAL_USAGE}${APP_USAGE}`);
    return 0;
  }
  const ignored = [...config.ignoredEalOptions, ...config.ignoredAppOptions];
  if (ignored.length > 0) print(`${PROGRAM}: ignoring options with no meaning for memif: ${ignored.join(' ')}\n`);
  if (config.vdevs.length === 0) {
    printError('testpmd: No probed ethernet devices (add --vdev=net_memif0,...)\n');
    printError('EAL: Error - exiting with code: 1\n  Cause: no --vdev=net_memif<N> device given\n');
    return 1;
  }
  for (const warning of config.warnings) printError(`${warning}\n`);
  if (config.interactive) print('Interactive-mode selected\n');
  if (config.autoStart) print('Auto-start selected\n');
  if (config.forwardMode !== 'io') print(`Set ${config.forwardMode} packet forwarding mode\n`);
  if (config.txFirst) {
    print('Ports to start sending a burst of packets first\n');
    printError('Warning: lsc_interrupt needs to be off when using tx_first. Disabling.\n');
  }

  // From here on a signal must lead through close(), which unlinks the listener sockets.
  const signalled = nextSignal();
  const stopping = new AbortController();
  void signalled.then(() => stopping.abort());
  const app = new TestpmdApp(config, print, printError);
  try {
    app.openPorts();
  } catch (error) {
    await app.close();
    printError(
      `${(error as Error).message}\n${openHint(error, config)}EAL: Error - exiting with code: 1\n  Cause: cannot attach the device\n`,
    );
    return 1;
  }
  if (config.linkCheck) await app.checkLinkStatuses(config.waitForLinks, stopping.signal);

  // A signal during the link check leaves nothing started: straight to close, as testpmd.
  if (!stopping.signal.aborted && config.interactive) {
    if (config.autoStart) {
      print('Start automatic packet forwarding\n');
      app.start();
    }
    await Promise.race([runInteractivePrompt(app, print), signalled]);
  } else if (!stopping.signal.aborted) {
    print('No commandline core given, start packet forwarding\n');
    app.start(config.txFirst ? 1 : 0);
    await (config.statsPeriod > 0 ? printStatsUntil(app, config.statsPeriod, signalled) : waitForEnter(signalled));
  }
  await app.close();
  return 0;
}

/** The hint for a port that cannot be created: a killed server's socket file is the usual one. */
function openHint(error: unknown, config: TestpmdConfig): string {
  if ((error as { code?: unknown }).code !== 'EADDRINUSE') return '';
  const stale = config.vdevs.some(
    ({ options }) => options.role === 'master' && options.replaceStaleSocket !== true && options.socketAbstract === false,
  );
  return stale
    ? 'hint: a server killed with kill -9 leaves its socket file behind; add replace-stale-socket=yes to the --vdev to remove it when nothing listens on it\n'
    : '';
}

/**
 * Non-interactive with --stats-period, as dpdk-testpmd: statistics every period until SIGINT or
 * SIGTERM, never reading stdin (so it runs under `&`, nohup or systemd with stdin at EOF).
 */
function printStatsUntil(app: TestpmdApp, periodSeconds: number, signalled: Promise<void>): Promise<void> {
  const timer = setInterval(() => {
    print(`${CLEAR_SCREEN}\nPort statistics ====================================`);
    for (const port of app.ports) {
      const stats = port.stats();
      print(formatNicStats(port.id, stats, port.throughput(stats)));
    }
  }, periodSeconds * 1000);
  return signalled.then(() => clearInterval(timer));
}

/** Non-interactive without --stats-period, as dpdk-testpmd: until Enter, end of stdin or a signal. */
function waitForEnter(signalled: Promise<void>): Promise<void> {
  print('Press enter to exit\n');
  return new Promise((resolve) => {
    const done = (): void => {
      process.stdin.off('data', done);
      process.stdin.off('end', done);
      process.stdin.off('error', done);
      process.stdin.pause();
      resolve();
    };
    process.stdin.on('data', done);
    process.stdin.on('end', done);
    // stdin closed or unreadable (e.g. started with <&-) reads as end of input, as read(0) fails.
    process.stdin.on('error', done);
    void signalled.then(done);
  });
}

/**
 * Resolves on the first SIGINT or SIGTERM. The handlers stay for the
 * whole run, so a signal during shutdown cannot kill the process before its sockets are unlinked.
 */
function nextSignal(): Promise<void> {
  return new Promise((resolve) => {
    // dpdk-testpmd 22.11 says nothing here: it stops forwarding and prints its statistics.
    const onSignal = (): void => resolve();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
