import { DescFlag, type MasterReceiver, type ReceiveBatch, type RingView, SlaveReceiver } from '@memif/ring';
import { EdgeWatcher, type EventFd, type NativeBinding } from '@memif/shm-native';
import { keepAlive } from './keep-alive.ts';
import { DEFAULT_ADAPTIVE_IDLE_MICROSECONDS, type MemifRxMode } from './memif-options.ts';

/**
 * Adaptive mode spins on the ring for at most this long (ms) before it lets the event loop run a
 * turn: short enough that timers, sockets and the other queues of the process wait little, long
 * enough that most frames are seen within a fraction of a microsecond rather than a loop turn.
 */
const ADAPTIVE_SPIN_SLICE_MS = 0.02;

/**
 * One receive queue of a connected interface: the ring we consume (M2S on a slave, S2M on a
 * master), its interrupt eventfd, and how we learn of new frames (interrupt, polling, adaptive).
 * A peer index out of range would stall the queue for good (the receiver refuses to read past
 * it), and a broken interrupt fd would throw from an event handler, so both are reported as a
 * fault, upon which the link disconnects.
 */
export class RxQueue {
  readonly index: number;
  readonly ring: RingView;
  readonly receiver: SlaveReceiver | MasterReceiver;
  readonly interrupt: EventFd;
  readonly #binding: NativeBinding | undefined;
  readonly #onReadable: (queue: number) => void;
  readonly #onFault: (reason: string) => void;
  readonly #onWarning: (code: string, message: string) => void;
  #warnedOversize = false;
  #watcher: EdgeWatcher | null = null;
  #mode: MemifRxMode = 'interrupt';
  #polling = false;
  #pollHandle: NodeJS.Immediate | null = null;
  /** When adaptive mode last saw a frame (performance.now()). */
  #lastFrameAt = 0;
  readonly #adaptiveIdleMs: number;
  /** The peer's index when the last interrupt was notified (see #drainAfterWake). */
  #indexAtWake = 0;
  /** The peer's index at the last look of adaptive mode (or of arming interrupts); -1 before the first. */
  #seenIndex = -1;
  /** {@link interrupts} when interrupt mode was armed: a signal since then made the second look moot. */
  #interruptsAtArm = 0;
  readonly #slave: boolean;
  #closed = false;
  #refed = true;
  /** Interrupts (eventfd wake-ups) received. */
  interrupts = 0;
  /** Times adaptive mode went back from polling to interrupts. */
  fallbacks = 0;

  constructor(options: {
    index: number;
    ring: RingView;
    receiver: SlaveReceiver | MasterReceiver;
    interrupt: EventFd;
    onReadable: (queue: number) => void;
    onFault?: (reason: string) => void;
    /** Something the user should hear about once, with the fix (not a fault: the link stays up). */
    onWarning?: (code: string, message: string) => void;
    binding?: NativeBinding | undefined;
    /** Adaptive mode: polling stops after this long without a frame. Default 200. */
    adaptiveIdleMicroseconds?: number;
  }) {
    this.index = options.index;
    this.ring = options.ring;
    this.receiver = options.receiver;
    this.interrupt = options.interrupt;
    this.#binding = options.binding;
    this.#onReadable = options.onReadable;
    this.#onFault = options.onFault ?? (() => {});
    this.#onWarning = options.onWarning ?? (() => {});
    this.#slave = this.receiver instanceof SlaveReceiver;
    this.#adaptiveIdleMs = (options.adaptiveIdleMicroseconds ?? DEFAULT_ADAPTIVE_IDLE_MICROSECONDS) / 1000;
  }

  get mode(): MemifRxMode {
    return this.#mode;
  }

  /** Frames (or parts of frames) published by the peer and not yet received. */
  pending(): number {
    const pending = this.receiver.pending();
    this.#checkIndex();
    return pending;
  }

  receive(batch: ReceiveBatch, max?: number): number {
    const heldBefore = this.receiver.held;
    return this.#received(this.receiver.receive(batch, max), heldBefore);
  }

  /** Whether the last {@link receiveCopies} stopped before a frame that only {@link receive} takes. */
  get leftForReceive(): boolean {
    return this.receiver.leftForReceive;
  }

  /**
   * Copies of up to `max` one-slot frames of at most `maxLength` bytes into `into[0, n)`; stops
   * before any other frame (see the receiver's `receiveCopies`). Slots stay held until {@link release}.
   */
  receiveCopies(into: Uint8Array[], max: number, maxLength: number): number {
    const heldBefore = this.receiver.held;
    return this.#received(this.receiver.receiveCopies(into, max, maxLength), heldBefore);
  }

  #received(count: number, heldBefore: number): number {
    // Slots of dropped packets are consumed but not handed out; with no frame to release, an
    // application would never release them, and a peer sending only bad packets would fill the
    // ring for good. Give them back now, but only when nothing else is held: frames of an
    // earlier burst stay valid until the application releases them (which frees these too).
    if (count === 0 && heldBefore === 0 && this.receiver.held > 0) this.receiver.release();
    this.#checkIndex();
    if (!this.#warnedOversize && this.receiver instanceof SlaveReceiver && this.receiver.counters.badLength > 0)
      this.#warnOversize(this.receiver);
    return count;
  }

  /**
   * A master that writes more than we posted is most likely DPDK ≥ 23.03, whose tx fast path
   * ignores the posted capacity (spec §7.4). Its bytes ran into the next buffer, which it may
   * have filled with the next frame since, so the frame is dropped, not delivered; the user
   * hears once what happened and how to avoid it.
   */
  #warnOversize(receiver: SlaveReceiver): void {
    this.#warnedOversize = true;
    const { length, capacity } = receiver.lastOversize;
    this.#onWarning(
      'MEMIF_OVERSIZE_DESCRIPTOR',
      `the master wrote a ${length}-byte descriptor into a ${capacity}-byte buffer on rx queue ${this.index}; ` +
        'such frames are dropped (counted as badLength). DPDK 23.03 and newer ignore the buffer size a slave posts: ' +
        "give this slave bufferSize 2048 or more (DPDK's mbuf size), or give the DPDK server a bsize= below its mbuf size (e.g. bsize=1024)",
    );
  }

  /**
   * Frames the peer published that we have not received yet: lost if the connection ends now
   * (when the peer dies, nobody else can count them). A frame is counted by its last slot (NEXT
   * clear); an index out of range counts nothing.
   */
  unreadFrames(): number {
    const slots = this.receiver.pending();
    const ring = this.ring;
    // The peer's index is the end of what it published: head on S2M (ours as master), tail on M2S.
    const end = this.receiver instanceof SlaveReceiver ? ring.loadTail() : ring.loadHead();
    const first = (end - slots) & 0xffff;
    let frames = 0;
    for (let k = 0; k < slots; k++) {
      if ((ring.descFlags((first + k) & ring.mask) & DescFlag.Next) === 0) frames++;
    }
    return frames;
  }

  /** Why this ring cannot be used any more, or undefined while it is healthy. */
  fault(): string | undefined {
    return this.receiver.counters.badIndex > 0 ? `Ring index out of range on rx ring ${this.index}` : undefined;
  }

  #checkIndex(): void {
    const fault = this.fault();
    if (fault !== undefined) this.#onFault(fault);
  }

  release(): void {
    this.receiver.release();
  }

  /**
   * Applies a receive mode: interrupt clears MASK_INT and watches the eventfd; polling sets
   * MASK_INT and checks the ring on every turn of the event loop; adaptive starts as interrupt,
   * polls while traffic keeps coming and goes back to interrupts after `adaptiveIdleMicroseconds`
   * without a frame.
   */
  setMode(mode: MemifRxMode): void {
    if (this.#closed) return;
    this.#mode = mode;
    if (mode === 'polling') this.#startPolling();
    else this.#startInterrupts();
  }

  /** Whether the interrupt watcher and the poll loop keep the process alive (they do by default). */
  setRef(refed: boolean): void {
    this.#refed = refed;
    keepAlive(this.#watcher, refed);
    keepAlive(this.#pollHandle, refed);
  }

  /** Whether the queue polls now (polling mode, or adaptive mode after traffic) rather than waiting for interrupts. */
  get polling(): boolean {
    return this.#polling;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopPolling();
    this.#watcher?.close();
    this.#watcher = null;
  }

  #startInterrupts(): void {
    this.#stopPolling();
    this.receiver.setInterruptMasked(false);
    if (this.#watcher === null) {
      // Never read(2): the peer shares the file and can make a read block (issue #13). The
      // watcher reports each signal without touching the fd, and the ring says what arrived.
      // We drain its epoll set ourselves, after the application has heard of the frames.
      this.#watcher = new EdgeWatcher(
        this.interrupt.fd,
        (error) => {
          if (error !== null) this.#fail(`Interrupt fd failed: ${error.message}`);
          else this.#onInterrupt();
        },
        this.#binding,
        { drain: 'caller' },
      );
      keepAlive(this.#watcher, this.#refed);
    }
    this.#watcher.start();
    // Frames published before the mask was cleared raised no signal: look once now.
    if (this.pending() > 0)
      queueMicrotask(() => (this.#mode === 'adaptive' && this.#peerMoved() ? this.#startAdaptivePolling() : this.#notify()));
    else if (this.#mode === 'interrupt') {
      // A peer that read MASK_INT before its index store was visible to us (a release store then
      // a plain load, as DPDK's and VPP's transmitters and ours on x86-64 do) raised no signal and
      // slipped past that look: look once more on the next turn of the event loop.
      this.#interruptsAtArm = this.interrupts;
      this.#seenIndex = this.#peerIndex();
      this.#schedulePoll();
    }
  }

  /** Stops listening to a broken interrupt line (a storm of errors otherwise) and reports it. */
  #fail(reason: string): void {
    this.#watcher?.stop();
    this.#stopPolling();
    this.#onFault(reason.slice(0, 95));
  }

  #onInterrupt(): void {
    if (this.#closed) return;
    this.interrupts++;
    // Look at the peer's index now, not only when the application reads: an index out of range
    // must end the connection even if nobody is reading.
    this.pending();
    if (this.#mode === 'adaptive' && !this.#polling && this.#peerMoved()) {
      this.#startAdaptivePolling();
      return;
    }
    this.#indexAtWake = this.#peerIndex();
    this.#notify();
    // The drain syscall comes after the application had the frames, and after the promise
    // continuations its listeners started (microtasks run in order), not before; the event loop
    // polls again only after microtasks, so the pending event is gone by then.
    queueMicrotask(this.#drainAfterWake);
  }

  /**
   * Takes the wake-up's event out of the epoll set. A signal that arrived since the wake-up was
   * taken with it, so the ring is looked at once more: frames published after the look of the
   * wake-up are notified now.
   */
  readonly #drainAfterWake = (): void => {
    const watcher = this.#watcher;
    if (this.#closed || watcher === null || !watcher.active) return;
    const error = watcher.drain();
    if (error !== null) this.#fail(`Interrupt fd failed: ${error.message}`);
    else if (this.#peerIndex() !== this.#indexAtWake) this.#notify();
  };

  /**
   * Adaptive mode saw traffic: poll with MASK_INT set, so the peer stops paying a syscall per
   * burst and we stop paying a wake-up per burst, until no frame comes for the idle time.
   */
  #startAdaptivePolling(): void {
    this.#watcher?.stop();
    this.receiver.setInterruptMasked(true);
    this.#lastFrameAt = performance.now();
    this.#polling = true;
    this.#schedulePoll();
    // The watcher is stopped: its event stays in the set until #armInterrupts drains it.
    this.#notify();
  }

  #startPolling(): void {
    this.#watcher?.stop();
    this.receiver.setInterruptMasked(true);
    this.#polling = true;
    this.#schedulePoll();
  }

  #stopPolling(): void {
    this.#polling = false;
    if (this.#pollHandle !== null) clearImmediate(this.#pollHandle);
    this.#pollHandle = null;
  }

  #schedulePoll(): void {
    if (this.#pollHandle === null && !this.#closed) {
      this.#pollHandle = setImmediate(this.#pollStep);
      keepAlive(this.#pollHandle, this.#refed);
    }
  }

  /** One poll per turn of the event loop (polling), or one bounded spin (adaptive). */
  readonly #pollStep = (): void => {
    this.#pollHandle = null;
    if (this.#closed) return;
    if (!this.#polling) {
      // The look one turn after interrupts were asked for (see #armInterrupts, #startInterrupts).
      if (this.#mode === 'adaptive') {
        if (this.#peerMoved()) this.#trafficAfterArming();
      } else if (this.#peerMoved() && this.interrupts === this.#interruptsAtArm && this.pending() > 0) {
        // As a wake-up: a signal for these frames may still come, and is drained after the look.
        this.#indexAtWake = this.#peerIndex();
        this.#notify();
        queueMicrotask(this.#drainAfterWake);
      }
      return;
    }
    if (this.#mode === 'adaptive') this.#spin();
    else if (this.pending() > 0) this.#notify();
    if (this.#polling) this.#schedulePoll();
  };

  /**
   * Adaptive: checks the ring in a tight loop for at most {@link ADAPTIVE_SPIN_SLICE_MS}, then
   * returns to the event loop (timers, sockets and other queues run between slices). Goes back
   * to interrupts once no frame came for the idle time.
   */
  #spin(): void {
    const sliceStart = performance.now();
    for (;;) {
      // New frames keep the queue polling, even those the application already took with an
      // rxBurst of its own; frames it merely leaves unread do not.
      if (this.#peerMoved()) {
        this.#lastFrameAt = performance.now();
        if (this.pending() > 0) {
          this.#notify();
          return;
        }
      }
      const now = performance.now();
      if (now - this.#lastFrameAt >= this.#adaptiveIdleMs) {
        this.#armInterrupts();
        return;
      }
      if (now - sliceStart >= ADAPTIVE_SPIN_SLICE_MS) {
        // Frames the application left in the ring: remind it once per slice, as polling does.
        if (this.pending() > 0) this.#notify();
        return;
      }
    }
  }

  /**
   * Adaptive mode falls back to interrupts: clears MASK_INT (an atomic store, a full fence), then
   * looks at the ring, because a frame the peer published before it saw the flag cleared raised
   * no signal. A peer that reads the flag before its index store is visible to us (a release
   * store then a plain load, as DPDK's transmitter does) can still slip one frame past that
   * look, so the ring is looked at once more on the next turn of the event loop.
   */
  #armInterrupts(): void {
    this.#polling = false;
    // Signals from before (a peer that had not seen MASK_INT yet) are stale: the ring is looked at below.
    const error = this.#watcher?.drain() ?? null;
    if (error !== null) {
      this.#fail(`Interrupt fd failed: ${error.message}`);
      return;
    }
    this.receiver.setInterruptMasked(false);
    this.#watcher?.start();
    this.fallbacks++;
    if (this.#peerMoved()) this.#trafficAfterArming();
    else this.#schedulePoll();
  }

  /** Frames that came as interrupts were armed: as an interrupt would, they start polling. */
  #trafficAfterArming(): void {
    // An index out of range must end the connection even if nobody reads.
    this.pending();
    if (!this.#closed) this.#startAdaptivePolling();
  }

  /**
   * Whether the peer published frames since the last look: its index (head on S2M, which we read
   * as master; tail on M2S) moved. Frames the application merely left unread do not count.
   */
  #peerMoved(): boolean {
    const index = this.#peerIndex();
    if (index === this.#seenIndex) return false;
    this.#seenIndex = index;
    return true;
  }

  /** The index the peer publishes frames with: head on S2M (we are the master), tail on M2S. */
  #peerIndex(): number {
    return this.#slave ? this.ring.loadTail() : this.ring.loadHead();
  }

  #notify(): void {
    if (!this.#closed) this.#onReadable(this.index);
  }
}
