import { lstatSync, type Stats } from 'node:fs';
import { debuglog } from 'node:util';
import { MAX_LOG2_RING_SIZE_ACCEPTED, type MasterInterfaceLookup } from '@memif/protocol';
import {
  chmodPath,
  chownPath,
  ErrnoError,
  FdWatcher,
  SeqpacketSocket,
  unlinkPath,
  type NativeBinding,
  type UnixAddress,
} from '@memif/shm-native';
import type { LinkOwner } from './link.ts';
import { MasterLink, type HelloLimits, type MasterLinkHost } from './master-link.ts';
import { MemifError } from './memif-error.ts';
import { wireModeOf, type MemifConfig } from './memif-options.ts';
import { socketKey } from './socket-address.ts';
import type { UnsealedRegionPolicy } from './unsealed-region-policy.ts';
import { keepAlive } from './keep-alive.ts';

const debug = debuglog('memif');

/** A master interface as its listener sees it. */
export interface ListenerClient extends LinkOwner {
  readonly config: MemifConfig;
  /** The policy in force for this interface's peers (see {@link UnsealedRegionPolicy}). */
  readonly unsealedRegions: UnsealedRegionPolicy;
  /** True while a slave is attached or attaching. */
  busy(): boolean;
  /** A slave's INIT named this interface: it owns `link` from now on. */
  adopt(link: MasterLink): void;
  /** A slave asked for this interface and was refused (wrong secret, mode, …). */
  refused(reason: string, peerName: string): void;
}

const listeners = new Map<string, Listener>();
const slaveSockets = new Map<string, number>();

/** In one process a socket is either listened on (masters) or connected to (slaves). */
function socketUsedBy(role: 'master' | 'slave', key: string): MemifError {
  return new MemifError(
    'ERR_MEMIF_SOCKET_IN_USE',
    `socket ${key} is used by a ${role} interface of this process; a socket is either listened on or connected to`,
    { option: 'socket' },
  );
}

/** Slaves announce the socket they connect to, so no master of this process listens there. */
export function registerSlaveSocket(address: UnixAddress): () => void {
  const key = socketKey(address);
  if (listeners.has(key)) throw socketUsedBy('master', key);
  slaveSockets.set(key, (slaveSockets.get(key) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (slaveSockets.get(key) ?? 1) - 1;
    if (left === 0) slaveSockets.delete(key);
    else slaveSockets.set(key, left);
  };
}

export interface ListenOptions {
  /** Unlink a stale socket file (one that no process listens on) instead of failing. */
  readonly replaceStaleSocket?: boolean;
  readonly binding?: NativeBinding | undefined;
}

/**
 * One listening socket per path (or abstract name) per process, shared by every master interface
 * on it and told apart by the id in INIT. The last interface to leave closes it and unlinks the
 * socket file.
 */
export class Listener implements MasterLinkHost {
  readonly key: string;
  readonly address: UnixAddress;
  readonly appName: string;
  readonly #socket: SeqpacketSocket;
  readonly #watcher: FdWatcher;
  readonly #binding: NativeBinding | undefined;
  readonly #clients = new Map<number, ListenerClient>();
  readonly #pending = new Set<MasterLink>();
  /** Interfaces that called `unref()`: the socket keeps the process alive while any other is here. */
  readonly #unrefed = new Set<ListenerClient>();
  #closed = false;

  private constructor(address: UnixAddress, socket: SeqpacketSocket, appName: string, binding: NativeBinding | undefined) {
    this.key = socketKey(address);
    this.address = address;
    this.appName = appName;
    this.#socket = socket;
    this.#binding = binding;
    this.#watcher = new FdWatcher(socket.fd, (event) => {
      if (event.error !== null) debug('listener %s: %s', this.key, event.error.message);
      else this.#acceptAll();
    }, binding);
    this.#watcher.start('readable');
  }

  /** Registers a master interface, creating the listener for its socket when it is the first. */
  static add(address: UnixAddress, client: ListenerClient, options: ListenOptions = {}): Listener {
    const key = socketKey(address);
    if (slaveSockets.has(key)) throw socketUsedBy('slave', key);
    let listener = listeners.get(key);
    if (listener === undefined) {
      listener = new Listener(address, openListener(address, client.config, options), client.config.appName, options.binding);
      listeners.set(key, listener);
    }
    listener.#addClient(client);
    return listener;
  }

  /** Interface ids served here. */
  get ids(): number[] {
    return [...this.#clients.keys()];
  }

  get fd(): number {
    return this.#socket.closed ? -1 : this.#socket.fd;
  }

  /**
   * Records whether `client` wants to keep the process alive. The shared socket (and each
   * connection not yet claimed by an interface) does so while any of its interfaces does.
   */
  setClientRef(client: ListenerClient, refed: boolean): void {
    if (this.#clients.get(client.config.id) !== client) return;
    if (refed) this.#unrefed.delete(client);
    else this.#unrefed.add(client);
    this.#applyRef();
  }

  /** Unregisters an interface; the last one closes the listener and unlinks its file. */
  remove(client: ListenerClient): void {
    if (this.#clients.get(client.config.id) !== client) return;
    this.#clients.delete(client.config.id);
    this.#unrefed.delete(client);
    if (this.#clients.size > 0) {
      this.#applyRef();
      return;
    }
    this.#closed = true;
    listeners.delete(this.key);
    for (const link of [...this.#pending]) link.disconnect('Device closed');
    this.#watcher.close();
    this.#socket.close();
    if ('path' in this.address) {
      unlinkPath(this.address.path, { ignoreMissing: true, binding: this.#binding });
    }
  }

  lookup(id: number): MasterInterfaceLookup {
    const client = this.#clients.get(id);
    if (client === undefined) return { status: 'not-found' };
    if (client.busy()) return { status: 'busy' };
    const c = client.config;
    return {
      status: 'available',
      config: { mode: wireModeOf(c.mode), secret: c.secret, maxS2mRings: c.rxQueues, maxM2sRings: c.txQueues, ifName: c.name },
    };
  }

  /**
   * HELLO comes before INIT names an interface, so it announces the most rings any interface on
   * this socket takes (the largest rx and tx queue counts, as highest indices): a slave that
   * honours HELLO (DPDK, VPP, libmemif clamp their counts to it) then never asks for more than
   * the socket can take, and a slave asking more of a smaller interface is refused with the
   * reason. The log2 ring size is the largest ADD_RING accepts (15, VPP's ring-size 32768).
   */
  helloLimits(): HelloLimits {
    let rx = 1;
    let tx = 1;
    for (const client of this.#clients.values()) {
      rx = Math.max(rx, client.config.rxQueues);
      tx = Math.max(tx, client.config.txQueues);
    }
    return { maxS2mRing: rx - 1, maxM2sRing: tx - 1, maxLog2RingSize: MAX_LOG2_RING_SIZE_ACCEPTED };
  }

    attach(id: number, link: MasterLink): { owner: LinkOwner; config: MemifConfig; unsealedRegions: UnsealedRegionPolicy } {
    const client = this.#clients.get(id) as ListenerClient;
    this.#pending.delete(link);
    client.adopt(link);
    return { owner: client, config: client.config, unsealedRegions: client.unsealedRegions };
  }

  detached(link: MasterLink, requestedId: number | undefined, reason: string): void {
    this.#pending.delete(link);
    const client = requestedId === undefined ? undefined : this.#clients.get(requestedId);
    client?.refused(reason, link.peerName);
  }

  #refed(): boolean {
    return this.#unrefed.size < this.#clients.size;
  }

  #applyRef(): void {
    if (this.#closed) return;
    const refed = this.#refed();
    if (refed === this.#watcher.hasRef()) return;
    keepAlive(this.#watcher, refed);
    for (const link of this.#pending) link.setRef(refed);
  }

  #addClient(client: ListenerClient): void {
    const id = client.config.id;
    if (this.#clients.has(id)) {
      throw new MemifError(
        'ERR_MEMIF_DUPLICATE_ID',
        `socket ${this.key} already has a master interface with id ${id}; ids must be unique per socket`,
        { option: 'id' },
      );
    }
    this.#clients.set(id, client);
    this.#applyRef();
  }

  #acceptAll(): void {
    while (!this.#closed) {
      let socket: SeqpacketSocket | null;
      try {
        socket = this.#socket.accept();
      } catch (error) {
        // EMFILE and friends: leave the connection queued and try on the next wake-up.
        debug('accept on %s failed: %s', this.key, (error as Error).message);
        return;
      }
      if (socket === null) return;
      try {
        const link = new MasterLink(socket, this, this.#binding);
        this.#pending.add(link);
        link.setRef(this.#refed());
        const timeout = Math.min(...[...this.#clients.values()].map((c) => c.config.handshakeTimeout));
        link.start(timeout);
      } catch (error) {
        // Out of fds for the watcher, say: drop this connection, keep serving the others.
        debug('could not serve a connection on %s: %s', this.key, (error as Error).message);
        socket.close();
      }
    }
  }
}

/** bind + listen, with a clear story when the address is taken; then ownership and mode. */
function openListener(address: UnixAddress, config: MemifConfig, options: ListenOptions): SeqpacketSocket {
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
