import { debuglog } from 'node:util';
import { MAX_LOG2_RING_SIZE_ACCEPTED, type MasterInterfaceLookup } from '@memif/protocol';
import { FdWatcher, type NativeBinding, type SeqpacketSocket, type UnixAddress, unlinkPath } from '@memif/shm-native';
import { keepAlive } from './keep-alive.ts';
import type { LinkOwner } from './link.ts';
import { type HelloLimits, MasterLink, type MasterLinkHost } from './master-link.ts';
import { MemifError } from './memif-error.ts';
import { type MemifConfig, wireModeOf } from './memif-options.ts';
import { type ListenOptions, openListener } from './open-listener.ts';
import { socketKey } from './socket-address.ts';
import { listenerOf, setListenerOf } from './socket-registry.ts';
import type { UnsealedRegionPolicy } from './unsealed-region-policy.ts';

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
    this.#watcher = new FdWatcher(
      socket.fd,
      (event) => {
        if (event.error !== null) debug('listener %s: %s', this.key, event.error.message);
        else this.#acceptAll();
      },
      binding,
    );
    this.#watcher.start('readable');
  }

  /** Registers a master interface, creating the listener for its socket when it is the first. */
  static add(address: UnixAddress, client: ListenerClient, options: ListenOptions = {}): Listener {
    const key = socketKey(address);
    let listener = listenerOf(key);
    if (listener === undefined) {
      listener = new Listener(address, openListener(address, client.config, options), client.config.appName, options.binding);
      setListenerOf(key, listener);
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
    setListenerOf(this.key, undefined);
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
