import { debuglog } from 'node:util';
import { DisconnectReason, type FdRef, type HandshakeAction, type MasterHandshake, type Msg, type SlaveHandshake } from '@memif/protocol';
import type { MasterReceiver, MasterTransmitter, RingView, SlaveReceiver, SlaveTransmitter } from '@memif/ring';
import { closeFd, type EventFd, type NativeBinding, type SeqpacketSocket } from '@memif/shm-native';
import { ControlChannel } from './control-channel.ts';
import { escapePeerText } from './escape-peer-text.ts';
import type { MemifErrorCode } from './memif-error.ts';
import type { MemifRxMode } from './memif-options.ts';
import { RxQueue } from './rx-queue.ts';
import type { SharedRegion } from './shared-region.ts';
import { TxQueue } from './tx-queue.ts';

const debug = debuglog('memif');

/** Who ended a connection. */
export type CloseInitiator = 'local' | 'remote';

/** What a link tells the interface that owns it. */
export interface LinkOwner {
  linkUp(link: Link): void;
  linkDown(link: Link, reason: string, by: CloseInitiator): void;
  readable(queue: number): void;
  /** Something the user should hear about once (the link stays up), with the fix. */
  warning(code: string, message: string): void;
}

/** Where an interrupt eventfd belongs: `s2m:0`, `m2s:3`. */
export function ringKey(direction: 's2m' | 'm2s', index: number): string {
  return `${direction}:${index}`;
}

/**
 * One control connection and everything it set up: the channel, the regions, the interrupt
 * eventfds and, once connected, the queues. Teardown releases all of it in the order of spec §5.
 */
export abstract class Link {
  readonly channel: ControlChannel;
  readonly binding: NativeBinding | undefined;
  readonly regions: SharedRegion[] = [];
  readonly interrupts = new Map<string, EventFd>();
  rxQueues: RxQueue[] = [];
  txQueues: TxQueue[] = [];
  peerName = '';
  peerIfName = '';
  /** The ring and buffer sizes this connection runs with, once its rings are set up. */
  negotiated: { log2RingSize: number; bufferSize: number } | undefined;
  #owner: LinkOwner | undefined;
  #timer: NodeJS.Timeout | undefined;
  #up = false;
  #closed = false;
  #faultPending = false;
  #refed = true;
  closeReason: string | undefined;
  /** The error code to report when this link is refused before it came up (default ERR_MEMIF_PEER). */
  refusalCode: MemifErrorCode | undefined;
  /**
   * Per queue: frames lost with the connection, set at teardown (see `TxQueue.unconsumedFrames`,
   * `RxQueue.unreadFrames`).
   */
  lostOnDisconnect: { rx: number[]; tx: number[] } = { rx: [], tx: [] };

  protected constructor(socket: SeqpacketSocket, label: string, binding: NativeBinding | undefined) {
    this.binding = binding;
    this.channel = new ControlChannel(
      socket,
      {
        message: (msg, fd) => this.#guard(() => this.#onMessage(msg, fd)),
        malformed: (error) => this.#guard(() => this.apply(this.handshake.malformed(error))),
        hangup: (reason, cause) => this.#guard(() => this.apply(this.handshake.peerClosed(this.explainHangup(reason, cause)))),
      },
      label,
      binding,
    );
  }

  protected abstract get handshake(): MasterHandshake | SlaveHandshake;

  get up(): boolean {
    return this.#up;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get owner(): LinkOwner | undefined {
    return this.#owner;
  }

  protected setOwner(owner: LinkOwner): void {
    this.#owner = owner;
  }

  /**
   * Whether this connection's handles (control socket, interrupt watchers, poll loops) keep the
   * process alive; queues set up later follow. The handshake timer never does.
   */
  setRef(refed: boolean): void {
    this.#refed = refed;
    this.channel.setRef(refed);
    for (const queue of this.rxQueues) queue.setRef(refed);
  }

  /** Starts reading and arms the handshake timeout. */
  start(timeoutMs: number): void {
    this.channel.start();
    this.#timer = setTimeout(() => {
      if (!this.#up) this.disconnect(`Handshake timeout after ${timeoutMs} ms`);
    }, timeoutMs);
    this.#timer.unref();
  }

  /**
   * A queue found the peer's ring state unusable. Disconnects on the next turn of the event loop,
   * not inside the burst call that noticed it, so the caller's batch views stay valid until it
   * returns to the loop.
   */
  ringFault(reason: string): void {
    if (this.#closed || this.#faultPending) return;
    this.#faultPending = true;
    debug('ring fault: %s', reason);
    setImmediate(() => this.disconnect(reason));
  }

  /**
   * The receive queue over `ring` (ours to consume), woken by that ring's eventfd, in `receive.rxMode`.
   * Both roles build their queues this way once the rings are checked.
   */
  protected rxQueue(
    direction: 's2m' | 'm2s',
    index: number,
    ring: RingView,
    receiver: SlaveReceiver | MasterReceiver,
    receive: { readonly rxMode: MemifRxMode; readonly adaptiveIdleMicroseconds: number },
  ): RxQueue {
    const queue = new RxQueue({
      index,
      ring,
      receiver,
      interrupt: this.interrupts.get(ringKey(direction, index)) as EventFd,
      onReadable: (q) => this.#owner?.readable(q),
      onFault: (reason) => this.ringFault(reason),
      onWarning: (code, message) => this.#owner?.warning(code, message),
      binding: this.binding,
      adaptiveIdleMicroseconds: receive.adaptiveIdleMicroseconds,
    });
    queue.setRef(this.#refed);
    queue.setMode(receive.rxMode);
    return queue;
  }

  /** The transmit queue of `transmitter`, signalling through that ring's eventfd. */
  protected txQueue(direction: 's2m' | 'm2s', index: number, transmitter: SlaveTransmitter | MasterTransmitter): TxQueue {
    const interrupt = this.interrupts.get(ringKey(direction, index)) as EventFd;
    return new TxQueue(index, transmitter, interrupt, (reason) => this.ringFault(reason), this.binding);
  }

  /**
   * Runs a handler of a peer event. Nothing a peer sends may throw out of an event handler (that
   * would be an uncaughtException): a failure becomes a disconnect with the reason.
   */
  #guard(handler: () => void): void {
    try {
      handler();
    } catch (error) {
      debug('peer event handler failed: %s', (error as Error).message);
      try {
        this.apply(this.handshake.disconnect(`Internal error: ${(error as Error).message}`.slice(0, 95)));
      } catch (again) {
        debug('disconnect after a failure failed too: %s', (again as Error).message);
      }
    }
  }

  /** Ends the connection from our side with `reason` (sent to the peer as DISCONNECT). */
  disconnect(reason: string = DisconnectReason.DeviceClosed): void {
    // What send() staged this turn goes into the ring before the peer hears DISCONNECT, as it
    // would have had each send() published at once.
    if (this.#up) for (const queue of this.txQueues) queue.flush();
    this.apply(this.handshake.disconnect(reason));
  }

  /** Carries out what the handshake asked for, in order. */
  protected apply(actions: readonly HandshakeAction[]): void {
    for (const action of actions) {
      if (this.#closed) {
        if ('fd' in action) closeFd(action.fd, this.binding);
        continue;
      }
      try {
        this.perform(action);
      } catch (error) {
        debug('link action %s failed: %s', action.kind, (error as Error).message);
        this.apply(this.handshake.disconnect(`Internal error: ${(error as Error).message}`.slice(0, 95)));
      }
    }
  }

  protected perform(action: HandshakeAction): void {
    switch (action.kind) {
      case 'send':
        this.channel.send(action.msg, action.attach === undefined ? undefined : this.fdOf(action.attach));
        return;
      case 'closeFd':
        closeFd(action.fd, this.binding);
        return;
      case 'connected':
        this.peerIfName = action.peerIfName;
        this.#up = true;
        clearTimeout(this.#timer);
        this.#owner?.linkUp(this);
        return;
      case 'closed':
        this.#teardown(action.reason, action.by);
        return;
      default:
        this.performRole(action);
    }
  }

  /** Actions only one role sees. */
  protected abstract performRole(action: HandshakeAction): void;

  /** The fd of one of our own resources (slave). */
  protected fdOf(ref: FdRef): number {
    void ref;
    throw new Error('this side attaches no fds');
  }

  #onMessage(msg: Msg, fd: number | undefined): void {
    this.observe(msg);
    this.apply(this.handshake.receive(msg, fd));
  }

  /** The reason to report when the peer is gone; a role may know what it most likely means. */
  protected explainHangup(reason: string, cause: unknown): string {
    void cause;
    return reason;
  }

  /** Sees every message before the handshake does. */
  protected observe(msg: Msg): void {
    void msg;
  }

  /** Spec §5: link down, queues stopped, channel closed, memory unmapped, fds closed, owner told. */
  #teardown(reason: string, by: CloseInitiator): void {
    if (this.#closed) return;
    this.#closed = true;
    this.closeReason = reason;
    const wasUp = this.#up;
    this.#up = false;
    clearTimeout(this.#timer);
    for (const queue of this.rxQueues) queue.close();
    // What send() staged this turn was sent as far as its caller knows: it goes into the ring
    // (still mapped) and so counts below as lost with the connection, not silently dropped.
    for (const queue of this.txQueues) queue.flush();
    // Read before unmapping: what either side had not consumed is lost with the connection.
    try {
      this.lostOnDisconnect = {
        rx: this.rxQueues.map((queue) => queue.unreadFrames()),
        tx: this.txQueues.map((queue) => queue.unconsumedFrames()),
      };
    } catch (error) {
      debug('could not count the frames lost: %s', (error as Error).message);
    }
    this.channel.close();
    try {
      for (const queue of this.txQueues) queue.close();
      for (const region of this.regions) region.close();
      this.regions.length = 0;
      for (const eventfd of this.interrupts.values()) eventfd.close();
      this.interrupts.clear();
      this.releaseRole();
      debug('link closed (%s, %s, was %s): %s', by, this.constructor.name, wasUp ? 'up' : 'down', escapePeerText(reason));
    } finally {
      // Last: whoever hears of the disconnect (and may reconnect or look at the interface) finds
      // the connection wholly released. The queues stay until then for their final counters;
      // their rings are unmapped already.
      try {
        this.#owner?.linkDown(this, reason, by);
      } finally {
        this.rxQueues = [];
        this.txQueues = [];
      }
    }
  }

  /** Role-specific resources to release at teardown (after the shared ones). */
  protected releaseRole(): void {}
}
