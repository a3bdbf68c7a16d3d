import { lstatSync, type Stats } from 'node:fs';
import { chmodPath, chownPath, ErrnoError, type NativeBinding, SeqpacketSocket, type UnixAddress, unlinkPath } from '@memif/shm-native';
import type { MemifConfig } from './memif-options.ts';

export interface ListenOptions {
  /** Unlink a stale socket file (one that no process listens on) instead of failing. */
  readonly replaceStaleSocket?: boolean;
  readonly binding?: NativeBinding | undefined;
}

/** bind + listen, with a clear story when the address is taken; then ownership and mode. */
export function openListener(address: UnixAddress, config: MemifConfig, options: ListenOptions): SeqpacketSocket {
  const binding = options.binding;
  let socket: SeqpacketSocket;
  try {
    socket = SeqpacketSocket.listen(address, { passCredentials: true, binding });
  } catch (error) {
    if (!ErrnoError.isInstance(error) || error.code !== 'EADDRINUSE' || !('path' in address)) throw error;
    const type = fileTypeAt(address.path);
    if (type !== 'socket' && type !== undefined) {
      throw new ErrnoError(error.errno, 'bind', {
        path: address.path,
        hint: `the path is a ${type}, not a socket, and is never removed (not even with replaceStaleSocket): pick another socket path or move that ${type} away`,
      });
    }
    if (isListening(address, binding)) {
      throw new ErrnoError(error.errno, 'bind', {
        path: address.path,
        hint: 'another process is listening on this socket; pick another socket path or stop that process',
      });
    }
    if (options.replaceStaleSocket !== true) {
      throw new ErrnoError(error.errno, 'bind', {
        path: address.path,
        hint: 'a stale socket file from a process that is gone is in the way: remove it, or create the interface with replaceStaleSocket: true',
      });
    }
    unlinkPath(address.path, { binding });
    socket = SeqpacketSocket.listen(address, { passCredentials: true, binding });
  }
  try {
    if ('path' in address) {
      if (config.ownerUid !== undefined || config.ownerGid !== undefined) {
        chownPath(address.path, config.ownerUid ?? -1, config.ownerGid ?? -1, binding);
      }
      if (config.socketMode !== undefined) chmodPath(address.path, config.socketMode, binding);
    }
  } catch (error) {
    socket.close();
    if ('path' in address) unlinkPath(address.path, { ignoreMissing: true, binding });
    throw error;
  }
  return socket;
}

/**
 * What is at `path`, without following a symbolic link: a link to a socket is not a socket file
 * we may remove. Undefined when nothing is there (any more).
 */
function fileTypeAt(path: string): string | undefined {
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch {
    return undefined;
  }
  if (stats.isSocket()) return 'socket';
  if (stats.isFile()) return 'regular file';
  if (stats.isDirectory()) return 'directory';
  if (stats.isSymbolicLink()) return 'symbolic link';
  if (stats.isFIFO()) return 'named pipe';
  if (stats.isCharacterDevice()) return 'character device';
  if (stats.isBlockDevice()) return 'block device';
  return 'file of unknown type';
}

/** Whether some process accepts connections on `address` right now. */
function isListening(address: UnixAddress, binding: NativeBinding | undefined): boolean {
  try {
    SeqpacketSocket.connect(address, { binding }).close();
    return true;
  } catch (error) {
    return !(ErrnoError.isInstance(error) && (error.code === 'ECONNREFUSED' || error.code === 'ENOENT'));
  }
}
