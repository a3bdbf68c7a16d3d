import { CommandLineError } from './command-line-error.ts';
import { runInteractivePrompt } from './interactive-prompt.ts';
import { APP_USAGE, EAL_USAGE, parseCommandLine, PROGRAM, type TestpmdConfig } from './parse-command-line.ts';
import { formatNicStats } from './format-statistics.ts';
import { TestpmdApp, type Print } from './testpmd-app.ts';

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
 * testpmd-lite's whole life: parse the command line, open the ports, then either the prompt
 * (`-i`) or forwarding until Enter, end of stdin, SIGINT or SIGTERM; then stop, print the forward
 * statistics, close the ports (unlinking listener sockets) and resolve with the exit code.
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
  if (config.interactive) print('Interactive-mode selected\n');
  if (config.autoStart && config.interactive) print('Auto-start selected\n');
  if (config.forwardMode !== 'io') print(`Set ${config.forwardMode} packet forwarding mode\n`);

  // From here on a signal must lead through close(), which unlinks the listener sockets.
  const signalled = nextSignal();
  const app = new TestpmdApp(config, print);
  try {
    app.openPorts();
  } catch (error) {
    await app.close();
    printError(`${(error as Error).message}\nEAL: Error - exiting with code: 1\n  Cause: cannot attach the device\n`);
    return 1;
  }

  if (config.interactive) {
    if (config.autoStart) {
      print('Start automatic packet forwarding\n');
      app.start();
    }
    await Promise.race([runInteractivePrompt(app, print), signalled]);
  } else {
    print('Start automatic packet forwarding\n');
    app.start(config.txFirst ? 1 : 0);
    await waitForExit(app, config, signalled);
  }
  await app.close();
  return 0;
}

/** Non-interactive mode: periodic statistics if asked, until Enter, end of stdin or a signal. */
function waitForExit(app: TestpmdApp, config: TestpmdConfig, signalled: Promise<void>): Promise<void> {
  print('Press enter to exit\n');
  return new Promise((resolve) => {
    const timer = config.statsPeriod > 0
      ? setInterval(() => {
        print(`${CLEAR_SCREEN}\nPort statistics ====================================`);
        for (const port of app.ports) {
          const stats = port.stats();
          print(formatNicStats(port.id, stats, port.throughput(stats)));
        }
      }, config.statsPeriod * 1000)
      : undefined;
    const done = (): void => {
      clearInterval(timer);
      process.stdin.off('data', done);
      process.stdin.off('end', done);
      process.stdin.pause();
      resolve();
    };
    process.stdin.on('data', done);
    process.stdin.on('end', done);
    void signalled.then(done);
  });
}

/**
 * Resolves on the first SIGINT or SIGTERM, saying so as testpmd does. The handlers stay for the
 * whole run, so a signal during shutdown cannot kill the process before its sockets are unlinked.
 */
function nextSignal(): Promise<void> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      print(`\nSignal ${signal === 'SIGINT' ? 2 : 15} received, preparing to exit...\n`);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
