import { ReceiveBatch } from '@memif/memif';
import { buildTxonlyPacket } from './build-txonly-packet.ts';
import { type ForwardAddresses, forwardFrames } from './forward-frames.ts';
import type { ForwardMode } from './forward-mode.ts';
import { MbufCopier } from './mbuf-copier.ts';
import type { TestpmdPort } from './testpmd-port.ts';

/** What a stream needs to know of the forwarding configuration when it starts. */
export interface StreamSettings {
  readonly mode: ForwardMode;
  readonly burst: number;
  /** Total length of each txonly frame (the sum of `--txpkts`). */
  readonly txPacketLength: number;
}

const EMPTY = new Uint8Array(0);

/** Most txonly bursts per queue in one turn of the event loop. */
const BURSTS_PER_TURN = 64;

/**
 * Longest a receiving stream forwards in one turn of the event loop (ms): long enough to amortise
 * the turn (timers, I/O poll, setImmediate: microseconds), short enough to keep the prompt and
 * the control channel responsive.
 */
const TURN_BUDGET_MS = 1;

/**
 * How long a stream keeps polling rings that came up empty before it yields to the event loop
 * (ms). Frames bounced by a peer come back within microseconds; a turn of the event loop at every
 * empty poll would leave them waiting in the ring for that long, and with a fixed number of
 * frames in flight (two-way io) the rate is the frames in flight over the round trip.
 */
const IDLE_SPIN_MS = 0.02;

/**
 * testpmd's forwarding stream for one rx port: receives bursts from `rx` and sends what the engine
 * keeps to `tx` (the paired port), or, in txonly, sends generated bursts to `tx` on every turn of
 * the event loop. Receiving is driven by the interface's 'readable' events (interrupt or polling
 * rx-mode alike) and then polls, as DPDK does: for up to {@link TURN_BUDGET_MS} per turn of the
 * event loop, until the rings stay empty for {@link IDLE_SPIN_MS}, with setImmediate between turns
 * for as long as frames keep coming. io and
 * rxonly touch no frame view: io forwards straight from the receive batch (`txBatch`); lite-rxcopy
 * copies every frame into mbuf-sized buffers ({@link MbufCopier}). The batch, the frame array, the
 * mbufs and the txonly burst are allocated once per start; a burst allocates nothing.
 */
export class ForwardingStream {
  readonly rx: TestpmdPort;
  readonly tx: TestpmdPort;
  readonly #settings: StreamSettings;
  readonly #batch: ReceiveBatch;
  readonly #frames: Uint8Array[];
  readonly #addresses: ForwardAddresses;
  readonly #txonlyBurst: Uint8Array[];
  /** lite-rxcopy's mbufs: one burst's worth, reused burst after burst. */
  readonly copier: MbufCopier | undefined;
  #running = false;
  #continuation: NodeJS.Immediate | undefined;
  readonly #onReadable = (): void => this.#receive();

  constructor(rx: TestpmdPort, tx: TestpmdPort, settings: StreamSettings) {
    this.rx = rx;
    this.tx = tx;
    this.#settings = settings;
    this.#batch = new ReceiveBatch(settings.burst);
    this.#frames = new Array<Uint8Array>(settings.burst).fill(EMPTY);
    this.#addresses = { txPortMac: tx.mac, peerMac: tx.peerMac };
    // txonly frames never change, so one frame repeated fills every burst (the interface copies).
    const packet = buildTxonlyPacket(settings.txPacketLength, tx.mac, tx.peerMac);
    this.#txonlyBurst = new Array<Uint8Array>(settings.burst).fill(packet);
    this.copier = settings.mode === 'lite-rxcopy' ? new MbufCopier(settings.burst) : undefined;
  }

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    if (this.#settings.mode === 'txonly') {
      this.#schedule();
      return;
    }
    this.rx.iface.on('readable', this.#onReadable);
    // Frames may already wait in the ring (published before we listened): look once now.
    this.#schedule();
  }

  stop(): void {
    this.#running = false;
    this.rx.iface.off('readable', this.#onReadable);
    if (this.#continuation !== undefined) clearImmediate(this.#continuation);
    this.#continuation = undefined;
  }

  /** Sends `bursts` bursts of txonly frames on every tx queue, as `start tx_first` does first. */
  sendTxonlyBursts(bursts: number): void {
    this.#transmitGenerated(bursts, false);
  }

  #schedule(): void {
    if (this.#continuation !== undefined || !this.#running) return;
    this.#continuation = setImmediate(() => {
      this.#continuation = undefined;
      if (!this.#running) return;
      if (this.#settings.mode === 'txonly') {
        this.#transmitGenerated(BURSTS_PER_TURN, true);
        this.#schedule();
      } else {
        this.#receive();
      }
    });
  }

  /**
   * Sends `bursts` generated bursts on every tx queue; with `untilFull`, stops a queue at its first
   * short burst (the ring is full: DPDK's txonly counts the rest of that burst as dropped).
   */
  #transmitGenerated(bursts: number, untilFull: boolean): void {
    const iface = this.tx.iface;
    const queues = Math.max(1, iface.txQueueCount);
    const burst = this.#txonlyBurst;
    for (let queue = 0; queue < queues; queue++) {
      for (let turn = 0; turn < bursts; turn++) {
        const sent = iface.txBurst(queue, burst, burst.length);
        this.tx.forwardDropped += burst.length - sent;
        if (untilFull && sent < burst.length) break;
      }
    }
  }

  #receive(): void {
    if (!this.#running) return;
    const rxIface = this.rx.iface;
    const turnStart = performance.now();
    let lastFrames = turnStart;
    let busy = false;
    for (;;) {
      const received = this.#pollOnce(rxIface);
      const now = performance.now();
      if (received > 0) {
        busy = true;
        lastFrames = now;
      } else if (now - lastFrames >= IDLE_SPIN_MS) {
        break;
      }
      if (now - turnStart >= TURN_BUDGET_MS || !this.#running) break;
    }
    // Poll on while traffic flows; an idle turn hands over to 'readable' again.
    if (busy) this.#schedule();
  }

  /** One burst from every rx queue, handled by the engine; returns the frames received. */
  #pollOnce(rxIface: TestpmdPort['iface']): number {
    const txIface = this.tx.iface;
    const batch = this.#batch;
    const frames = this.#frames;
    const mode = this.#settings.mode;
    const max = this.#settings.burst;
    let total = 0;
    for (let queue = 0; queue < rxIface.rxQueueCount; queue++) {
      const received = rxIface.rxBurst(queue, batch, max);
      if (received === 0) continue;
      total += received;
      if (mode === 'io') {
        const txQueues = txIface.txQueueCount;
        const sent = txQueues === 0 ? 0 : txIface.txBatch(queue % txQueues, batch, received);
        this.tx.forwardDropped += received - sent;
      } else if (mode === 'lite-rxcopy') {
        this.copier?.copyBurst(batch, received);
      } else if (mode !== 'rxonly') {
        for (let i = 0; i < received; i++) frames[i] = batch.frameView(i);
        const keep = forwardFrames(mode, frames, received, this.#addresses);
        if (keep > 0) {
          const txQueues = txIface.txQueueCount;
          const sent = txQueues === 0 ? 0 : txIface.txBurst(queue % txQueues, frames, keep);
          this.tx.forwardDropped += keep - sent;
        }
        // Views into shared memory must not outlive the release.
        for (let i = 0; i < received; i++) frames[i] = EMPTY;
      }
      rxIface.rxRelease(queue);
    }
    return total;
  }
}
