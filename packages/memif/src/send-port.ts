import { SlaveTransmitter } from '@memif/ring';
import { MemifError } from './memif-error.ts';
import type { MemifConfig } from './memif-options.ts';
import type { MemifState } from './memif-state.ts';
import type { RxQueue } from './rx-queue.ts';
import type { TxPort } from './send-scheduler.ts';
import type { TxQueue } from './tx-queue.ts';

/** What an interface shows its send scheduler. */
export interface SendPortHost {
  readonly config: MemifConfig;
  state(): MemifState;
  txQueueCount(): number;
  /** Queue `queue` of the connection while it is up. */
  txQueue(queue: number): TxQueue | undefined;
  rxQueue(queue: number): RxQueue | undefined;
  /** True while a receive iterator drains rx queue `queue` (see {@link sendRoom}). */
  hasReader(queue: number): boolean;
  on(event: 'readable' | 'close', listener: () => void): unknown;
  off(event: 'readable' | 'close', listener: () => void): unknown;
}

const EMPTY = new Uint8Array(0);
/** Frames a forwarding peer may hold between its receive and its transmit: DPDK's bursts are 32. */
const PEER_BURST = 64;

/** The {@link TxPort} of an interface: its tx queues as `send()` and the stream's writes use them. */
export function createSendPort(host: SendPortHost): TxPort {
  const one: Uint8Array[] = [EMPTY];
  return {
    transmit: (queue, frames, count) => host.txQueue(queue)?.transmit(frames, count) ?? 0,
    stage: (queue, frame) => {
      const tx = host.state() === 'connected' ? host.txQueue(queue) : undefined;
      if (tx === undefined || sendRoom(host, queue, tx, true) <= 0) return false;
      one[0] = frame;
      const staged = tx.stage(one);
      one[0] = EMPTY;
      return staged;
    },
    unusable: (queue) => {
      const state = host.state();
      if (state === 'closed') return new MemifError('ERR_MEMIF_CLOSED', 'the interface is closed');
      if (state !== 'connected') return new MemifError('ERR_MEMIF_NOT_CONNECTED', `the interface is ${state}, not connected`);
      if (host.txQueue(queue) === undefined) {
        return new MemifError('ERR_MEMIF_INVALID_OPTION', `no tx queue ${String(queue)}; this connection has ${host.txQueueCount()}`);
      }
      return undefined;
    },
    maxFrameLength: (queue) => {
      const transmitter = host.txQueue(queue)?.transmitter;
      if (!(transmitter instanceof SlaveTransmitter)) return Number.POSITIVE_INFINITY;
      return transmitter.maxFrameLength;
    },
    ringEmpty: (queue) => {
      const transmitter = host.txQueue(queue)?.transmitter;
      return transmitter !== undefined && transmitter.freeSlots() === transmitter.ring.size;
    },
    slotBytes: () => host.config.bufferSize,
    room: (queue) => sendRoom(host, queue, host.txQueue(queue), false),
    watch: (onChange) => {
      host.on('readable', onChange);
      host.on('close', onChange);
      return () => {
        host.off('readable', onChange);
        host.off('close', onChange);
      };
    },
  };
}

/**
 * Slots `send()` and the stream may still fill on `tx` now: the free slots beyond half the
 * ring (bounding what is in flight). `lazy` trusts the last reading of the peer's index while
 * it shows room (it never overstates it), so a `send()` costs no shared-memory read.
 */
function sendRoom(host: SendPortHost, queue: number, tx: TxQueue | undefined, lazy: boolean): number {
  const transmitter = tx?.transmitter;
  if (transmitter === undefined) return 0;
  const half = transmitter.ring.size >> 1;
  // One look at the peer's index at most (a slave's reading also reclaims pool buffers).
  const free = transmitter.freeSlots(lazy ? half + 1 : undefined);
  const txRoom = free - half;
  // While the application drains this queue pair's rx ring (frames(), bursts(), a stream),
  // what we have in flight may all come back (an echo, testpmd macswap): keep it within
  // the room our rx ring has left, or the peer drops what it cannot return. A queue nobody
  // reads never holds sends back.
  if (txRoom <= 0 || !host.hasReader(queue)) return txRoom;
  const rx = host.rxQueue(queue);
  if (rx === undefined) return txRoom;
  const inFlight = transmitter.ring.size - free;
  const rxSize = rx.receiver.ring.size;
  const rxFree = rxSize - rx.receiver.pending() - rx.receiver.held;
  // Frames the peer has taken from our tx ring but not yet put in our rx ring (the burst it
  // is forwarding right now) are in neither count: leave room for one such burst.
  return Math.min(txRoom, rxFree - inFlight - Math.min(PEER_BURST, rxSize >> 2));
}
