import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { debuglog } from 'node:util';
import { DisconnectReason } from '@memif/protocol';
import { type BufferPool, type ReceiveBatch, SlaveTransmitter } from '@memif/ring';
import type { NativeBinding, SeqpacketSocket } from '@memif/shm-native';
import { BurstIterator } from './burst-iterator.ts';
import { callApplication } from './call-application.ts';
import { CounterTotals } from './counter-totals.ts';
import { escapePeerText } from './escape-peer-text.ts';
import { checkFrame, checkFrames } from './frame-check.ts';
import { FrameIterator } from './frame-iterator.ts';
import { createFrameStream } from './frame-stream.ts';
import type { CloseInitiator, Link } from './link.ts';
import { Listener } from './listener.ts';
import type { MasterLink } from './master-link.ts';
import { type MemifDetails, ringDetails } from './memif-details.ts';
import { MemifError, type MemifErrorCode } from './memif-error.ts';
import type { MemifInterfaceEvents } from './memif-interface-events.ts';
import { type MemifConfig, type MemifOptions, resolveMemifOptions } from './memif-options.ts';
import type { MemifState } from './memif-state.ts';
import { refusePeer } from './peer-policy.ts';
import { receiveCopies } from './receive-copies.ts';
import type { RxQueue } from './rx-queue.ts';
import { createSendPort } from './send-port.ts';
import { SendScheduler } from './send-scheduler.ts';
import { SlaveConnector } from './slave-connector.ts';
import { SlaveLink } from './slave-link.ts';
import { socketAddress, socketKey } from './socket-address.ts';
import { registerSlaveSocket } from './socket-registry.ts';
import { assertSupportedPlatform } from './supported-platform.ts';
import type { TxQueue } from './tx-queue.ts';
import type { UnsealedRegionPolicy } from './unsealed-region-policy.ts';

const debug = debuglog('memif');

export type { MemifDetails, RingDetails } from './memif-details.ts';
export type { MemifInterfaceEvents } from './memif-interface-events.ts';
export type { MemifState } from './memif-state.ts';

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
  readonly #connector: SlaveConnector | undefined;
  readonly #totals = new CounterTotals();
  #connections = 0;
  readonly #warnings = new Map<string, string>();
  #localReason: string | undefined;
  #remoteReason: string | undefined;
  readonly #one: Uint8Array[] = [new Uint8Array(0)];
  #closing: Promise<void> | undefined;
  #linkUp = false;
  readonly #sender: SendScheduler;
  #lastError: { readonly code: string; readonly message: string } | undefined;
  /** Whether this interface's handles keep the process alive (see {@link unref}). */
  #refed = true;

  constructor(options: MemifOptions = {}, deps: MemifInterfaceDeps = {}) {
    super();
    assertSupportedPlatform(deps.binding);
    this.config = resolveMemifOptions(options);
    this.#binding = deps.binding;
    this.#sender = new SendScheduler(
      createSendPort({
        config: this.config,
        state: () => this.#state,
        txQueueCount: () => this.txQueueCount,
        txQueue: (queue) => this.#tx(queue),
        rxQueue: (queue) => this.#rx(queue),
        hasReader: (queue) => (this.#readers.get(queue) ?? 0) > 0,
        on: (event, listener) => this.on(event, listener),
        off: (event, listener) => this.off(event, listener),
      }),
    );
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
      this.#connector = new SlaveConnector(
        this.config,
        {
          wantsConnection: () => this.#state === 'connecting',
          startLink: (socket) => this.#startSlaveLink(socket),
          reportError: (error) => this.#reportError(error),
        },
        deps.binding,
      );
      this.#connector.start();
    }
  }

  get state(): MemifState {
    return this.#state;
  }

  get connected(): boolean {
    return this.#state === 'connected';
  }

  /** Receive queues of the current connection (0 while disconnected). */
  /** Rx queue `queue` of the connection while it is up. */
  #rx(queue: number): RxQueue | undefined {
    return this.#link?.up === true ? this.#link.rxQueues[queue] : undefined;
  }

  /** Tx queue `queue` of the connection while it is up. */
  #tx(queue: number): TxQueue | undefined {
    return this.#link?.up === true ? this.#link.txQueues[queue] : undefined;
  }

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
    const rx = this.#rx(queue);
    if (rx === undefined) {
      batch.clear();
      return 0;
    }
    return rx.receive(batch, max);
  }

  /**
   * @internal `frames()` and streams: copies of up to `max` frames of `queue` into `into` (its
   * length set to the count; `batch` is scratch), their slots given back; 0 while disconnected.
   */
  rxCopies(queue: number, into: Uint8Array[], batch: ReceiveBatch, max: number): number {
    const rx = this.#rx(queue);
    if (rx === undefined) {
      into.length = 0;
      return 0;
    }
    return receiveCopies(rx, into, batch, max);
  }

  /** Gives the slots of the last {@link rxBurst} of `queue` back to the peer. */
  rxRelease(queue: number): void {
    this.#rx(queue)?.release();
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
    return this.#tx(queue)?.transmit(frames, count) ?? 0;
  }

  /**
   * Copies frames `[0, count)` of `batch` (e.g. what {@link rxBurst} just received, before
   * {@link rxRelease}) into queue `queue`'s ring straight from the batch segments and publishes
   * them, as {@link txBurst} does; returns how many went out whole. Allocates nothing per frame.
   */
  txBatch(queue: number, batch: ReceiveBatch, count: number = batch.count): number {
    return this.#tx(queue)?.transmitBatch(batch, count) ?? 0;
  }

  /**
   * Zero-copy slave: publishes pool buffers as frames without copying payload. Each buffer goes
   * back to the pool once the master has consumed it.
   */
  txPooledBurst(queue: number, buffers: ArrayLike<number>, lengths: ArrayLike<number>, count?: number): number {
    const tx = this.#tx(queue);
    if (tx === undefined || !(tx.transmitter instanceof SlaveTransmitter) || tx.transmitter.pool === undefined) return 0;
    return tx.transmitPooled(tx.transmitter, buffers, lengths, count);
  }

  /**
   * Zero-copy slave: returns to the pool every buffer the master has consumed on queue `queue`
   * and says how many. Transmitting does this too; call it when the application waits for
   * buffers without sending.
   */
  reclaim(queue = 0): number {
    const tx = this.#tx(queue);
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
  send(frame: Uint8Array, queue = 0, options?: { signal?: AbortSignal }): Promise<void> {
    return this.#sender.send(frame, queue, options?.signal);
  }

  /** @internal The stream's `_writev`: `frames` in order, as many per burst as fit. */
  sendMany(frames: readonly Uint8Array[], queue = 0, options: { signal?: AbortSignal } = {}): Promise<void> {
    return this.#sender.sendMany(frames, queue, options.signal);
  }

  /**
   * Received frames of `queue`, each a copy the caller owns (copied a burst at a time), until the
   * interface closes. Waits across disconnects. Rejects with an `AbortError` when `signal`
   * aborts. Allocates a copy per frame: an array of its own for a frame of up to 64 bytes, a view
   * into a buffer shared by the burst's larger frames otherwise.
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
    // Frames a send() staged this turn count as sent: they go out before any I/O can happen.
    for (const queue of link?.txQueues ?? []) queue.flush();
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
      rings: link?.up === true ? ringDetails(link, this.config.role) : [],
      rx: this.#totals.with('rx', link),
      tx: this.#totals.with('tx', link),
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
    this.#connector?.connected();
    debug('%s connected to %s (%s)', this.config.name, escapePeerText(link.peerIfName), escapePeerText(link.peerName));
    this.#emit('connected', { peerName: link.peerName, peerInterfaceName: link.peerIfName });
  }

  /** @internal */
  linkDown(link: Link, reason: string, by: CloseInitiator): void {
    if (link !== this.#link) return;
    // A local close() has already moved the state on: whether the link was up is the link's story.
    const wasUp = this.#linkUp;
    this.#linkUp = false;
    this.#totals.add(link);
    this.#link = undefined;
    if (by === 'remote') this.#remoteReason = reason;
    else this.#localReason = reason;
    if (this.#state !== 'closed') this.#state = this.config.role === 'master' ? 'listening' : 'connecting';
    debug('%s disconnected (%s): %s', this.config.name, by, escapePeerText(reason));
    if (wasUp || by === 'remote') this.#emit('disconnected', reason, by);
    else if (this.#state !== 'closed')
      this.#reportError(
        new MemifError(link.refusalCode ?? 'ERR_MEMIF_PEER', `${this.config.name}: connection refused: ${escapePeerText(reason)}`),
      );
    if (this.#state === 'connecting') this.#connector?.retryLater();
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
    this.#connector?.setRef(refed);
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

  /** The slave's connector reached the master: the handshake starts; false when it cannot (retry later). */
  #startSlaveLink(socket: SeqpacketSocket): boolean {
    let link: SlaveLink;
    try {
      link = new SlaveLink(socket, this.config, this, this.#binding);
    } catch (error) {
      // Out of fds for the watcher, say: try again later rather than throw from a timer.
      debug('%s: cannot start a connection: %s', this.config.name, (error as Error).message);
      socket.close();
      return false;
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
    return true;
  }

  async #close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#connector?.close();
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
