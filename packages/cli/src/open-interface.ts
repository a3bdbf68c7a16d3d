import { createInterface, escapePeerText, MemifError, type MemifInterface, type MemifOptions } from '@memif/memif';
import { ErrnoError, loadNative } from '@memif/shm-native';
import { CommandFailure } from './command-failure.ts';
import type { CommandIo } from './command-io.ts';
import { UsageError } from './usage-error.ts';

function describeSocket(options: MemifOptions): string {
  const socket = options.socket ?? '/run/memif.sock';
  return options.socketAbstract === false ? socket : `@${socket} (abstract)`;
}

/** A client's failed connect (the library reports it as an errno error), as opposed to a refusal. */
function connectErrorCode(error: Error | undefined): string | undefined {
  const { code, syscall } = (error ?? {}) as { code?: unknown; syscall?: unknown };
  return syscall === 'connect' && typeof code === 'string' ? code : undefined;
}

function whyNotConnected(options: MemifOptions, lastError: Error | undefined): string {
  if (connectErrorCode(lastError) !== undefined) return `cannot connect to ${describeSocket(options)}: ${lastError?.message}`;
  if (lastError !== undefined) return `the peer refused us: ${lastError.message}`;
  const role = options.role === 'master' || options.role === 'server' ? 'server' : 'client';
  return role === 'server' ? `no client connected to ${describeSocket(options)}` : `no server accepted us on ${describeSocket(options)}`;
}

function hintFor(options: MemifOptions): string {
  const abstract = options.socketAbstract !== false;
  return abstract
    ? "the socket is an abstract name (DPDK's default); for a filesystem socket add --socket-abstract no (or socket-abstract=no in --vdev). `memif inspect` shows what a server announces."
    : "DPDK's default socket is the abstract name /run/memif.sock; if the peer left socket-abstract at its default, use --socket-abstract yes. `memif inspect` shows what a server announces.";
}

/** What to try when the listener cannot bind: the flag for a socket file a killed server left. */
function creationHint(error: unknown, options: MemifOptions): string | undefined {
  const server = options.role === 'master' || options.role === 'server';
  if (!ErrnoError.isInstance(error) || error.code !== 'EADDRINUSE' || !server || options.socketAbstract !== false) return undefined;
  if (options.replaceStaleSocket === true) return 'another process is listening on this socket: pick another --socket or stop that process';
  return 'a server killed with kill -9 leaves its socket file behind: add --replace-stale-socket yes (replace-stale-socket=yes in --vdev) to remove it when nothing listens on it, as VPP does';
}

/**
 * Creates the interface and waits until it is connected, printing refusals as they happen.
 * Rejects with a {@link UsageError} for options the library refuses, a {@link CommandFailure} when
 * the socket is busy or nobody connects within `timeoutMs` (the interface is then closed).
 */
export async function openInterface(
  options: MemifOptions,
  { timeoutMs, io, signal }: { timeoutMs: number; io: CommandIo; signal: AbortSignal },
): Promise<MemifInterface> {
  try {
    // A client would otherwise retry quietly until the timeout when the addon cannot load.
    loadNative();
  } catch (error) {
    throw new CommandFailure((error as Error).message, { cause: error });
  }
  let iface: MemifInterface;
  try {
    iface = createInterface({ appName: 'memif-cli', ...options });
  } catch (error) {
    if (MemifError.isInstance(error) && (error.code === 'ERR_MEMIF_INVALID_OPTION' || error.code === 'ERR_MEMIF_INVALID_DEVARGS')) {
      throw new UsageError(error.message);
    }
    throw new CommandFailure(`cannot create the interface: ${(error as Error).message}`, {
      cause: error,
      hint: creationHint(error, options),
    });
  }
  let lastError: Error | undefined;
  const onError = (error: Error): void => {
    if (error.message !== lastError?.message) io.stderr.write(`memif: ${error.message}\n`);
    lastError = error;
  };
  iface.on('error', onError);
  const connected = await new Promise<boolean>((resolve) => {
    const finish = (value: boolean): void => {
      clearTimeout(timer);
      iface.off('connected', onConnected);
      signal.removeEventListener('abort', onAbort);
      resolve(value);
    };
    const onConnected = (): void => finish(true);
    const onAbort = (): void => finish(false);
    const timer = setTimeout(() => finish(false), timeoutMs);
    iface.once('connected', onConnected);
    signal.addEventListener('abort', onAbort);
    if (iface.connected) finish(true);
  });
  if (connected) {
    iface.on('disconnected', (reason, by) => {
      if (by === 'remote') io.stderr.write(`memif: the peer disconnected: ${escapePeerText(reason)}\n`);
    });
    return iface;
  }
  await closeInterface(iface);
  if (signal.aborted) throw new CommandFailure('interrupted before the interface connected');
  throw new CommandFailure(`not connected after ${timeoutMs / 1000} s: ${whyNotConnected(options, lastError)}`, {
    // Where nobody listens, the usual cause is the socket kind; a permission error is not that.
    hint: lastError === undefined || ['ENOENT', 'ECONNREFUSED'].includes(connectErrorCode(lastError) ?? '') ? hintFor(options) : undefined,
  });
}

/**
 * Closes the interface without printing the library's report of our own disconnect (close()
 * of a connected interface currently reports it through 'error').
 */
export async function closeInterface(iface: MemifInterface): Promise<void> {
  iface.removeAllListeners('error');
  await iface.close();
}
