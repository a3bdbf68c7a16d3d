import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { debuglog } from 'node:util';
import { DisconnectReason } from '@memif/protocol';
import { ReceiveBatch, SlaveTransmitter, type BufferPool } from '@memif/ring';
import { FdWatcher, SeqpacketSocket, type NativeBinding } from '@memif/shm-native';
import { callApplication } from './call-application.ts';
import { escapePeerText } from './escape-peer-text.ts';
import { BurstIterator } from './burst-iterator.ts';
import { connectFailure } from './connect-failure.ts';
import { checkFrame, checkFrames } from './frame-check.ts';
import { FrameIterator } from './frame-iterator.ts';
import { createFrameStream } from './frame-stream.ts';
import type { CloseInitiator, Link } from './link.ts';
import { Listener, registerSlaveSocket } from './listener.ts';
import type { MasterLink } from './master-link.ts';
import { MemifError, type MemifErrorCode } from './memif-error.ts';
import { resolveMemifOptions, type MemifConfig, type MemifOptions } from './memif-options.ts';
import { refusePeer } from './peer-policy.ts';
import { addQueueCounters, createQueueCounters, type QueueCounters } from './queue-counters.ts';
import type { RegionDetails } from './shared-region.ts';
import type { UnsealedRegionPolicy } from './unsealed-region-policy.ts';
import { SendScheduler } from './send-scheduler.ts';
import { SlaveLink } from './slave-link.ts';
import { assertSupportedPlatform } from './supported-platform.ts';
import { socketAddress, socketKey } from './socket-address.ts';
import { keepAlive } from './keep-alive.ts';

const debug = debuglog('memif');

/** Where an interface is in its life. */
export type MemifState = 'listening' | 'connecting' | 'handshake' | 'connected' | 'closed';


export interface RingDetails {
  readonly direction: 's2m' | 'm2s';
  readonly index: number;
  readonly offset: number;
  readonly ringSize: number;
  readonly head: number;
  readonly tail: number;
  readonly flags: number;
  readonly interruptFd: number;
}

/** What `details()` returns, in the spirit of VPP's `show memif`. */
export interface MemifDetails {
  readonly name: string;
  readonly role: MemifConfig['role'];
  readonly id: number;
  readonly socket: string;
  readonly state: MemifState;
  readonly mode: MemifConfig['mode'];
  readonly rxMode: MemifConfig['rxMode'];
  readonly mac: string;
  readonly bufferSize: number;
  readonly log2RingSize: number;
  readonly zeroCopy: boolean;
  readonly peerName: string;
  readonly peerInterfaceName: string;
  readonly localDisconnectReason: string | undefined;
  readonly remoteDisconnectReason: string | undefined;
  readonly regions: readonly RegionDetails[];
  readonly rings: readonly RingDetails[];
  readonly rx: readonly QueueCounters[];
  readonly tx: readonly QueueCounters[];
  readonly connections: number;
  /**
   * What the interface warned about (once each, as a `'warning'` event, or a process warning when
   * nobody listens), e.g. a master writing more than our buffers hold.
   */
  readonly warnings: readonly string[];
  /**
   * The last failure the interface saw: a slave's failed connect (`code` ENOENT, EACCES,
   * ECONNREFUSED...), a refused or misbehaving peer. Kept after a later success, for diagnosis.
   */
  readonly lastError: { readonly code: string; readonly message: string } | undefined;
}

export interface MemifInterfaceEvents {
  connected: [info: { peerName: string; peerInterfaceName: string }];
  disconnected: [reason: string, by: CloseInitiator];
  readable: [queue: number];
  /** Something to know and fix once (the link stays up); see `details().warnings`. */
  warning: [warning: { code: string; message: string }];
  error: [error: Error];
  close: [];
}

export interface MemifInterfaceDeps {
  /** The addon binding, for tests that inject a fake. */
  readonly binding?: NativeBinding;
  /** @deprecated Use the option {@link MemifOptions.replaceStaleSocket}; either one enables it. */
  readonly replaceStaleSocket?: boolean;
  /** @deprecated Use the option {@link MemifOptions.requireSealedRegions}; either one enables it. */
  readonly requireSealedRegions?: boolean;
}

/**
 * A memif interface, master or slave, wire-compatible with DPDK's net_memif. A master listens (one
 * listener per socket per process); a slave connects and retries until closed. Frames move with
 * the burst API (`rxBurst`/`txBurst`, no allocation per frame) or the ergonomic one (`frames()`,
 * `send()`, `createStream()`).
 */
export class MemifInterface extends EventEmitter<MemifInterfaceEvents> {
  readonly config: MemifConfig;
  /** True when unsealed peer regions are refused from every peer (`unsealedRegions: 'refuse'`). */
  readonly requireSealedRegions: boolean;
  readonly unsealedRegions: UnsealedRegionPolicy;
  readonly #binding: NativeBinding | undefined;
  #state: MemifState;
  #link: Link | undefined;
  /** Receive iterators draining each rx queue now. */
  readonly #readers = new Map<number, number>();
  #listener: Listener | undefined;
  #releaseSlaveSocket: (() => void) | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #connectWatcher: FdWatcher | undefined;
  #connectingSocket: SeqpacketSocket | undefined;
  #rxTotals: QueueCounters[] = [];
  #txTotals: QueueCounters[] = [];
  #connections = 0;
  readonly #warnings = new Map<string, string>();
  #localReason: string | undefined;
  #remoteReason: string | undefined;
  readonly #one: Uint8Array[] = [new Uint8Array(0)];
  #closing: Promise<void> | undefined;
  #linkUp = false;
  readonly #sender: SendScheduler;
  #lastError: { readonly code: string; readonly message: string } | undefined;
  /** The errno code of the connect failure reported last, so a retry loop reports each change once. */
  #reportedConnectCode: string | undefined;
  /** Whether this interface's handles keep the process alive (see {@link unref}). */
  #refed = true;

  constructor(options: MemifOptions = {}, deps: MemifInterfaceDeps = {}) {
    super();
    assertSupportedPlatform(deps.binding);
    this.config = resolveMemifOptions(options);
    this.#binding = deps.binding;
    this.#sender = this.#createSendScheduler();
    this.unsealedRegions = deps.requireSealedRegions === true ? 'refuse' : this.config.unsealedRegions;
    this.requireSealedRegions = this.unsealedRegions === 'refuse';
    const address = socketAddress(this.config);
    if (this.config.role === 'master') {
      const replaceStaleSocket = deps.replaceStaleSocket === true || this.config.replaceStaleSocket;
      this.#listener = Listener.add(address, this, { replaceStaleSocket, binding: deps.binding });
      this.#state = 'listening';
    } else {
      this.#releaseSlaveSocket = registerSlaveSocket(address);
      this.#state = 'connecting';
      // On the next tick, as net.connect does: a failure is then heard by the 'error' listener
      // the caller adds right after construction.
      process.nextTick(() => this.#connect());
    }
  }

  get state(): MemifState {
    return this.#state;
  }

  get connected(): boolean {
    return this.#state === 'connected';
  }

  /** Receive queues of the current connection (0 while disconnected). */
  get rxQueueCount(): number {
    return this.#link?.up === true ? this.#link.rxQueues.length : 0;
  }

  get txQueueCount(): number {
    return this.#link?.up === true ? this.#link.txQueues.length : 0;
  }

  /** Zero-copy slave: the pool that frames are built in, while connected. */
  get pool(): BufferPool | undefined {
    return this.#link instanceof SlaveLink && this.#link.up ? this.#link.pool : undefined;
  }

  // ---- burst data path ----

  /**
   * Receives up to `max` frames of queue `queue` into `batch`, as views into shared memory that
   * stay valid until {@link rxRelease}. Returns the number of frames (0 while disconnected).
   * Allocates nothing per frame.
   */
  rxBurst(queue: number, batch: ReceiveBatch, max?: number): number {
    const rx = this.#link?.up === true ? this.#link.rxQueues[queue] : undefined;
    if (rx === undefined) {
      batch.clear();
      return 0;
    }
    return rx.receive(batch, max);
  }

  /** Gives the slots of the last {@link rxBurst} of `queue` back to the peer. */
  rxRelease(queue: number): void {
    const rx = this.#link?.up === true ? this.#link.rxQueues[queue] : undefined;
    rx?.release();
  }

  /**
   * Copies `frames[0..count)` into queue `queue`'s ring and publishes them, chaining frames larger
   * than one buffer; signals the peer once if it asked for interrupts. Returns how many frames went
   * out (whole); 0 while disconnected. Allocates nothing per frame.
   */
  txBurst(queue: number, frames: readonly Uint8Array[], count: number = frames.length): number {
    checkFrames(frames, count);
    return this.#transmit(queue, frames, count);
  }

  /** {@link txBurst} for frames already checked. */
  #transmit(queue: number, frames: readonly Uint8Array[], count: number): number {
    const tx = this.#link?.up === true ? this.#link.txQueues[queue] : undefined;
    if (tx === undefined) return 0;
    return tx.transmit(frames, count);
  }

  /**
   * Copies frames `[0, count)` of `batch` (e.g. what {@link rxBurst} just received, before
   * {@link rxRelease}) into queue `queue`'s ring straight from the batch segments and publishes
   * them, as {@link txBurst} does; returns how many went out whole. Allocates nothing per frame.
   */
  txBatch(queue: number, batch: ReceiveBatch, count: number = batch.count): number {
    const tx = this.#link?.up === true ? this.#link.txQueues[queue] : undefined;
    if (tx === undefined) return 0;
    return tx.transmitBatch(batch, count);
  }

  /**
   * Zero-copy slave: publishes pool buffers as frames without copying payload. Each buffer goes
   * back to the pool once the master has consumed it.
   */
  txPooledBurst(queue: number, buffers: ArrayLike<number>, lengths: ArrayLike<number>, count?: number): number {
    const tx = this.#link?.up === true ? this.#link.txQueues[queue] : undefined;
    if (tx === undefined || !(tx.transmitter instanceof SlaveTransmitter) || tx.transmitter.pool === undefined) return 0;
    return tx.transmitPooled(tx.transmitter, buffers, lengths, count);
  }

  /**
   * Zero-copy slave: returns to the pool every buffer the master has consumed on queue `queue`
   * and says how many. Transmitting does this too; call it when the application waits for
   * buffers without sending.
   */
  reclaim(queue = 0): number {
    const tx = this.#link?.up === true ? this.#link.txQueues[queue] : undefined;
    if (tx === undefined || !(tx.transmitter instanceof SlaveTransmitter) || tx.transmitter.pool === undefined) return 0;
    return Math.max(0, tx.transmitter.reclaim());
  }

  // ---- ergonomic data path ----

  /**
   * Sends one frame if there is room now and no `send()` waits before it on `queue`; false
   * otherwise (or while disconnected). Throws for a frame that is not a non-empty Uint8Array.
   */
  trySend(frame: Uint8Array, queue = 0): boolean {
    checkFrame(frame);
    if (this.#sender.hasWaiters(queue)) return false;
    this.#one[0] = frame;
    const sent = this.#transmit(queue, this.#one, 1) === 1;
    this.#one[0] = EMPTY;
    return sent;
  }

  /**
   * Sends one frame, waiting for ring space in FIFO order with the other sends of `queue`
   * (backing off to a check every millisecond while the peer does not consume, and re-checking
   * on the interface's events). Every 64 frames it resolves only after one turn of the event
   * loop, so a loop of `await send()` lets receiving run, and it keeps at most half the ring in
   * flight, so a forwarding peer's replies fit our receive ring. Rejects with a TypeError (`ERR_INVALID_ARG_TYPE`,
   * `ERR_INVALID_ARG_VALUE`) for a frame that is not a non-empty Uint8Array,
   * ERR_MEMIF_FRAME_TOO_LARGE for one that can never fit the ring, ERR_MEMIF_NOT_CONNECTED when
   * the interface is (or goes) down, ERR_MEMIF_CLOSED once closed, and an `AbortError` when
   * `signal` aborts before the frame went out.
   */
  send(frame: Uint8Array, queue = 0, options: { signal?: AbortSignal } = {}): Promise<void> {
    return this.#sender.send(frame, queue, options.signal);
  }

  /** @internal The stream's `_writev`: `frames` in order, as many per burst as fit. */
  sendMany(frames: readonly Uint8Array[], queue = 0, options: { signal?: AbortSignal } = {}): Promise<void> {
    return this.#sender.sendMany(frames, queue, options.signal);
  }

  /**
   * Received frames of `queue`, each a copy the caller owns (copied a burst at a time), until the
   * interface closes. Waits across disconnects. Rejects with an `AbortError` when `signal`
   * aborts. Allocates per burst and a view per frame.
   */
  frames(queue = 0, options: { signal?: AbortSignal } = {}): AsyncIterableIterator<Uint8Array> {
    return new FrameIterator(this, queue, { signal: options.signal });
  }

  /**
   * Received bursts of `queue` as a {@link ReceiveBatch} of views into shared memory, valid until
   * the next step of the loop (slots are released then, and when the loop ends): near-burst
   * speed with `for await`. Waits across disconnects; ends on close; rejects with an
   * `AbortError` when `signal` aborts.
   */
  bursts(queue = 0, options: { signal?: AbortSignal; batchSize?: number } = {}): AsyncIterableIterator<ReceiveBatch> {
    return new BurstIterator(this, queue, options);
  }

  /** A Node object-mode `Duplex` of frames over queue pair `queue`. */
  createStream(queue = 0): Duplex {
    return createFrameStream(this, queue);
  }

  // ---- control ----

  /** Ends the interface: disconnects (DISCONNECT "Device closed"), stops retrying, frees all. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /** `await using iface = createInterface(...)` closes the interface at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Lets the process exit when this interface is all that keeps its event loop alive, as
   * `net.Socket#unref()` does: its listening socket (shared with other ref'd masters, it stays
   * ref'd for them), control connection, interrupt watchers, poll loops, reconnect timer and the
   * timers of pending `send()`s stop counting, now and across reconnects. A `send()` or a
   * `frames()` loop still waiting when the process exits never settles, as with a write pending
   * on an unref'd socket. Returns the interface.
   */
  unref(): this {
    this.#setRef(false);
    return this;
  }

  /** Undoes {@link unref}: the interface keeps the process alive again (the default). Returns it. */
  ref(): this {
    this.#setRef(true);
    return this;
  }

  /** Whether the interface keeps the process alive (true unless {@link unref} was called last). */
  hasRef(): boolean {
    return this.#refed;
  }

  /** Disconnects the current peer with `reason`; a slave then reconnects on its timer. */
  disconnect(reason = 'Disconnected by the application'): void {
    this.#link?.disconnect(reason);
  }

  details(): MemifDetails {
    const link = this.#link;
    const rings: RingDetails[] = [];
    if (link?.up === true) {
      const push = (direction: 's2m' | 'm2s', index: number, view: { offset: number; size: number; loadHead(): number; loadTail(): number; loadFlags(): number }, fd: number): void => {
        rings.push({ direction, index, offset: view.offset, ringSize: view.size, head: view.loadHead(), tail: view.loadTail(), flags: view.loadFlags(), interruptFd: fd });
      };
      const master = this.config.role === 'master';
      for (const q of link.rxQueues) push(master ? 's2m' : 'm2s', q.index, q.ring, q.interrupt.fd);
      for (const q of link.txQueues) push(master ? 'm2s' : 's2m', q.index, q.transmitter.ring, q.interrupt.fd);
    }
    return {
      name: this.config.name,
      role: this.config.role,
      id: this.config.id,
      socket: socketKey(socketAddress(this.config)),
      state: this.#state,
      mode: this.config.mode,
      rxMode: this.config.rxMode,
      mac: this.config.mac,
      // While connected, what the connection runs with (a master's slave chooses both).
      bufferSize: (link?.up === true ? link.negotiated?.bufferSize : undefined) ?? this.config.bufferSize,
      log2RingSize: (link?.up === true ? link.negotiated?.log2RingSize : undefined) ?? this.config.log2RingSize,
      zeroCopy: this.config.zeroCopy,
      peerName: link?.peerName ?? '',
      peerInterfaceName: link?.peerIfName ?? '',
      localDisconnectReason: this.#localReason,
      remoteDisconnectReason: this.#remoteReason,
      regions: link?.up === true ? link.regions.map((r) => r.details()) : [],
      rings,
      rx: this.#liveCounters('rx'),
      tx: this.#liveCounters('tx'),
      connections: this.#connections,
      warnings: [...this.#warnings.values()],
      lastError: this.#lastError,
    };
  }

  // ---- LinkOwner / ListenerClient ----

  /** @internal */
  busy(): boolean {
    return this.#link !== undefined || this.#state === 'closed';
  }

  /** @internal */
  adopt(link: MasterLink): void {
    this.#link = link;
    link.setRef(this.#refed);
    this.#state = 'handshake';
  }

  /** @internal */
  refused(reason: string, peerName: string, code: MemifErrorCode = 'ERR_MEMIF_PEER'): void {
    this.#localReason = reason;
    this.#reportError(new MemifError(code, `${this.config.name}: refused slave '${escapePeerText(peerName)}': ${escapePeerText(reason)}`));
  }

  /** @internal */
  linkUp(link: Link): void {
    if (link !== this.#link) return;
    this.#state = 'connected';
    this.#linkUp = true;
    this.#connections++;
    this.#reportedConnectCode = undefined;
    debug('%s connected to %s (%s)', this.config.name, escapePeerText(link.peerIfName), escapePeerText(link.peerName));
    this.#emit('connected', { peerName: link.peerName, peerInterfaceName: link.peerIfName });
  }

  /** @internal */
  linkDown(link: Link, reason: string, by: CloseInitiator): void {
    if (link !== this.#link) return;
    // A local close() has already moved the state on: whether the link was up is the link's story.
    const wasUp = this.#linkUp;
    this.#linkUp = false;
    this.#accumulate(link);
    this.#link = undefined;
    if (by === 'remote') this.#remoteReason = reason;
    else this.#localReason = reason;
    if (this.#state !== 'closed') this.#state = this.config.role === 'master' ? 'listening' : 'connecting';
    debug('%s disconnected (%s): %s', this.config.name, by, escapePeerText(reason));
    if (wasUp || by === 'remote') this.#emit('disconnected', reason, by);
    else if (this.#state !== 'closed') this.#reportError(new MemifError(link.refusalCode ?? 'ERR_MEMIF_PEER', `${this.config.name}: connection refused: ${escapePeerText(reason)}`));
    if (this.#state === 'connecting') this.#scheduleConnect();
    this.#emit('readable', -1);
  }

  /** @internal A receive iterator started draining `queue` (its sends then mind our rx ring). */
  readerStarted(queue: number): void {
    this.#readers.set(queue, (this.#readers.get(queue) ?? 0) + 1);
  }

  /** @internal */
  readerEnded(queue: number): void {
    const readers = (this.#readers.get(queue) ?? 0) - 1;
    if (readers > 0) this.#readers.set(queue, readers);
    else this.#readers.delete(queue);
  }

  /** @internal */
  readable(queue: number): void {
    // The wake-up path of every received burst: the emit of #emit without its closure.
    try {
      this.emit('readable', queue);
    } catch (error) {
      callApplication(() => {
        throw error;
      });
    }
  }

  /** @internal */
  warning(code: string, message: string): void {
    if (this.#warnings.has(code)) return;
    const text = `${this.config.name}: ${message}`;
    this.#warnings.set(code, text);
    // Said once: to the application if it listens, else the way Node says warnings (stderr).
    if (this.listenerCount('warning') > 0) this.#emit('warning', { code, message: text });
    else process.emitWarning(text, { type: 'MemifWarning', code });
  }

  // ---- internals ----

  /** Emits to the application's listeners; one that throws cannot disturb us (see callApplication). */
  #emit<K extends keyof MemifInterfaceEvents>(event: K, ...args: MemifInterfaceEvents[K]): void {
    callApplication(() => this.emit(event as keyof MemifInterfaceEvents, ...(args as never)));
  }

  #setRef(refed: boolean): void {
    this.#refed = refed;
    if (this.#state === 'closed') return;
    this.#sender.setRef(refed);
    this.#link?.setRef(refed);
    this.#listener?.setClientRef(this, refed);
    keepAlive(this.#retryTimer, refed);
    keepAlive(this.#connectWatcher, refed);
  }

  #createSendScheduler(): SendScheduler {
    const txQueue = (queue: number) => (this.#link?.up === true ? this.#link.txQueues[queue] : undefined);
    return new SendScheduler({
      transmit: (queue, frames, count) => this.#transmit(queue, frames, count),
      unusable: (queue) => {
        if (this.#state === 'closed') return new MemifError('ERR_MEMIF_CLOSED', 'the interface is closed');
        if (this.#state !== 'connected') return new MemifError('ERR_MEMIF_NOT_CONNECTED', `the interface is ${this.#state}, not connected`);
        if (txQueue(queue) === undefined) {
          return new MemifError('ERR_MEMIF_INVALID_OPTION', `no tx queue ${String(queue)}; this connection has ${this.txQueueCount}`);
        }
        return undefined;
      },
      maxFrameLength: (queue) => {
        const transmitter = txQueue(queue)?.transmitter;
        if (!(transmitter instanceof SlaveTransmitter)) return Number.POSITIVE_INFINITY;
        return transmitter.maxFrameLength;
      },
      ringEmpty: (queue) => {
        const transmitter = txQueue(queue)?.transmitter;
        return transmitter !== undefined && transmitter.freeSlots() === transmitter.ring.size;
      },
      slotBytes: () => this.config.bufferSize,
      room: (queue) => {
        const transmitter = txQueue(queue)?.transmitter;
        if (transmitter === undefined) return 0;
        // One look at the peer's index (a slave's freeSlots() also reclaims pool buffers).
        const free = transmitter.freeSlots();
        const inFlight = transmitter.ring.size - free;
        const txRoom = free - (transmitter.ring.size >> 1);
        // While the application drains this queue pair's rx ring (frames(), bursts(), a stream),
        // what we have in flight may all come back (an echo, testpmd macswap): keep it within
        // the room our rx ring has left, or the peer drops what it cannot return. A queue nobody
        // reads never holds sends back.
        const rx = (this.#readers.get(queue) ?? 0) > 0 && this.#link?.up === true ? this.#link.rxQueues[queue] : undefined;
        if (rx === undefined) return txRoom;
        const rxFree = rx.receiver.ring.size - rx.receiver.pending() - rx.receiver.held;
        return Math.min(txRoom, rxFree - inFlight);
      },
      watch: (onChange) => {
        this.on('readable', onChange);
        this.on('close', onChange);
        return () => {
          this.off('readable', onChange);
          this.off('close', onChange);
        };
      },
    });
  }

  /** Records `error` as the last one and emits it if someone listens; says whether it was emitted. */
  #reportError(error: Error): boolean {
    const code = (error as { code?: unknown }).code;
    this.#lastError = { code: typeof code === 'string' ? code : 'ERR_MEMIF_PEER', message: error.message };
    // An 'error' event without a listener would throw and take the process down: a library must
    // not do that for a peer's behaviour.
    if (this.listenerCount('error') === 0) {
      debug('%s: %s', this.config.name, error.message);
      return false;
    }
    this.#emit('error', error);
    return true;
  }

  #liveCounters(side: 'rx' | 'tx'): QueueCounters[] {
    const totals = side === 'rx' ? this.#rxTotals : this.#txTotals;
    const link = this.#link;
    const queues = link === undefined ? [] : side === 'rx' ? link.rxQueues.map((q) => q.receiver.counters) : link.txQueues.map((q) => q.transmitter.counters);
    const length = Math.max(totals.length, queues.length);
    return Array.from({ length }, (_, i) => {
      const sum = createQueueCounters();
      const total = totals[i];
      const live = queues[i];
      if (total !== undefined) addQueueCounters(sum, total);
      if (live !== undefined) addQueueCounters(sum, live);
      return sum;
    });
  }

  #accumulate(link: Link): void {
    link.rxQueues.forEach((q, i) => {
      const total = (this.#rxTotals[i] ??= createQueueCounters());
      addQueueCounters(total, q.receiver.counters);
      total.lostOnDisconnect += link.lostOnDisconnect.rx[i] ?? 0;
    });
    link.txQueues.forEach((q, i) => {
      const total = (this.#txTotals[i] ??= createQueueCounters());
      addQueueCounters(total, q.transmitter.counters);
      total.lostOnDisconnect += link.lostOnDisconnect.tx[i] ?? 0;
    });
  }

  #connect(): void {
    this.#retryTimer = undefined;
    if (this.#state !== 'connecting') return;
    try {
      this.#tryConnect();
    } catch (error) {
      // A timer callback must not throw: whatever failed, try again on the next tick of the timer.
      this.#connectFailed(error as Error);
      this.#connectWatcher?.close();
      this.#connectWatcher = undefined;
      this.#connectingSocket?.close();
      this.#connectingSocket = undefined;
      this.#scheduleConnect();
    }
  }

  #tryConnect(): void {
    const socket = SeqpacketSocket.connect(socketAddress(this.config), { binding: this.#binding });
    if (socket.connectState === 'connected') {
      this.#startSlaveLink(socket);
      return;
    }
    this.#connectingSocket = socket;
    this.#connectWatcher = new FdWatcher(socket.fd, () => {
      this.#connectWatcher?.close();
      this.#connectWatcher = undefined;
      this.#connectingSocket = undefined;
      let failure: Error | null;
      try {
        failure = socket.connectError();
      } catch (error) {
        failure = error as Error;
      }
      if (failure !== null || this.#state !== 'connecting') {
        socket.close();
        if (failure !== null) this.#connectFailed(failure);
        this.#scheduleConnect();
        return;
      }
      this.#startSlaveLink(socket);
    }, this.#binding);
    keepAlive(this.#connectWatcher, this.#refed);
    this.#connectWatcher.start('writable');
  }

  #startSlaveLink(socket: SeqpacketSocket): void {
    let link: SlaveLink;
    try {
      link = new SlaveLink(socket, this.config, this, this.#binding);
    } catch (error) {
      // Out of fds for the watcher, say: try again later rather than throw from a timer.
      debug('%s: cannot start a connection: %s', this.config.name, (error as Error).message);
      socket.close();
      this.#scheduleConnect();
      return;
    }
    this.#link = link;
    this.#state = 'handshake';
    link.setRef(this.#refed);
    link.start(this.config.handshakeTimeout);
    const refused = refusePeer(socket, this.config);
    if (refused !== undefined) {
      link.refusalCode = 'ERR_MEMIF_PEER_NOT_ALLOWED';
      link.disconnect(refused);
    }
  }

  /**
   * A slave that cannot reach its master says so through 'error' (once per distinct errno code
   * in a row, not on every retry) and `details().lastError`, and keeps retrying.
   */
  #connectFailed(error: Error): void {
    debug('%s: connect failed, retrying in %d ms: %s', this.config.name, this.config.reconnectInterval, error.message);
    const failure = connectFailure(error);
    const code = (failure as { code?: unknown }).code;
    const key = typeof code === 'string' ? code : failure.message;
    if (key === this.#reportedConnectCode) return;
    // The first attempt runs in the constructor, before anyone could listen: a failure nobody
    // heard is reported again on the next attempt.
    if (this.#reportError(failure)) this.#reportedConnectCode = key;
  }

  #scheduleConnect(): void {
    if (this.#state !== 'connecting' || this.#retryTimer !== undefined) return;
    this.#retryTimer = setTimeout(() => this.#connect(), this.config.reconnectInterval);
    keepAlive(this.#retryTimer, this.#refed);
  }

  async #close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#connectWatcher?.close();
    this.#connectingSocket?.close();
    this.#link?.disconnect(DisconnectReason.DeviceClosed);
    this.#link = undefined;
    this.#listener?.remove(this);
    this.#listener = undefined;
    this.#releaseSlaveSocket?.();
    this.#emit('close');
  }
}

const EMPTY = new Uint8Array(0);

/** Creates a memif interface; see {@link MemifInterface}. Throws on bad options or a busy socket. */
export function createInterface(options?: MemifOptions, deps?: MemifInterfaceDeps): MemifInterface {
  return new MemifInterface(options, deps);
}

