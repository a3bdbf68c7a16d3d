import { assertFd } from './assert-argument.ts';
import { resolveBinding } from './default-binding.ts';
import { ErrnoError } from './errno-error.ts';
import { Mapping } from './mapping.ts';
import type { NativeBinding } from './native.ts';
import { ResourceClosedError } from './resource-closed-error.ts';

/** How an {@link EventFdSignaller} signals: through the kernel (never blocks), or by write(2). */
export type SignalMethod = 'io_uring' | 'write';

/** Offsets in struct io_uring_params (linux/io_uring.h). */
const SQ_ENTRIES = 0;
const SQ_OFF = 40;
const CQ_OFF = 80;
const CQE_SIZE = 16;

/** A one-entry io_uring, mapped: its fd, the views that submit a no-op and reap its completion. */
interface SignalRing {
  readonly fd: number;
  readonly mappings: readonly Mapping[];
  readonly sqTail: Uint32Array;
  readonly sqMask: number;
  readonly sqArray: Uint32Array;
  readonly sqes: Uint8Array;
  readonly cqHead: Uint32Array;
  readonly cqTail: Uint32Array;
}

/**
 * Adds 1 to an eventfd that a peer shares with us, without any syscall of ours on that file
 * that could block. write(2) blocks when the peer has cleared O_NONBLOCK on the shared open file
 * description and filled the counter, and eventfd has no per-call non-blocking write
 * (pwritev2 RWF_NOWAIT fails with EOPNOTSUPP). So the eventfd is registered with a private
 * one-entry io_uring, and each `signal()` submits a no-op: the kernel signals a registered
 * eventfd on each completion with eventfd_signal(), which never waits, whatever the file's
 * flags or counter (a full counter simply stays full). Where io_uring is unavailable (kernels
 * before 5.1, seccomp profiles that forbid it, kernel.io_uring_disabled, memory limits), it falls back to a
 * write(2) made only while F_GETFL shows O_NONBLOCK: that check and the write are two syscalls,
 * so a peer toggling the flag can still win that window; `method` says which one is in use.
 * Does not own the eventfd.
 */
export class EventFdSignaller {
  readonly fd: number;
  readonly method: SignalMethod;
  readonly #binding: NativeBinding;
  /** Null: the write fallback. */
  readonly #ring: SignalRing | null;
  #closed = false;

  constructor(fd: number, binding?: NativeBinding) {
    assertFd(fd);
    this.fd = fd;
    const b = resolveBinding(binding);
    this.#binding = b;
    this.#ring = EventFdSignaller.#setUpRing(fd, b);
    this.method = this.#ring === null ? 'write' : 'io_uring';
  }

  /**
   * A one-entry ring with `fd` registered for completion signals, or null when the kernel,
   * a seccomp profile or memory limits refuse any step of it (then nothing is left open).
   */
  static #setUpRing(fd: number, b: NativeBinding): SignalRing | null {
    const c = b.constants;
    const params = new Uint8Array(c.IO_URING_PARAMS_SIZE);
    const ringFd = b.ioUringSetup(1, params);
    if (ringFd < 0) return null;
    const mappings: Mapping[] = [];
    try {
      if (b.ioUringRegister(ringFd, c.IORING_REGISTER_EVENTFD, Int32Array.of(fd)) < 0) throw new Error('register');
      const p = new DataView(params.buffer);
      const u32 = (offset: number): number => p.getUint32(offset, true);
      const sqEntries = u32(SQ_ENTRIES);
      const cqEntries = u32(SQ_ENTRIES + 4);
      const map = (length: number, offset: number): ArrayBuffer => {
        const mapping = Mapping.map(ringFd, length, { offset, binding: b });
        mappings.push(mapping);
        return mapping.buffer;
      };
      const sq = map(u32(SQ_OFF + 24) + sqEntries * 4, c.IORING_OFF_SQ_RING);
      const cq = map(u32(CQ_OFF + 20) + cqEntries * CQE_SIZE, c.IORING_OFF_CQ_RING);
      return {
        fd: ringFd,
        mappings,
        sqes: new Uint8Array(map(sqEntries * c.IO_URING_SQE_SIZE, c.IORING_OFF_SQES)),
        sqTail: new Uint32Array(sq, u32(SQ_OFF + 4), 1),
        sqMask: new Uint32Array(sq, u32(SQ_OFF + 8), 1)[0] as number,
        sqArray: new Uint32Array(sq, u32(SQ_OFF + 24), sqEntries),
        cqHead: new Uint32Array(cq, u32(CQ_OFF), 1),
        cqTail: new Uint32Array(cq, u32(CQ_OFF + 4), 1),
      };
    } catch {
      for (const mapping of mappings) mapping.unmap();
      b.close(ringFd);
      return null;
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Adds 1 to the eventfd's counter. Returns false when the signal could not be given: with
   * the write fallback, because the peer made the file blocking (refusing to write then is what
   * keeps us from blocking) or the counter is full.
   */
  signal(): boolean {
    if (this.#closed) throw new ResourceClosedError('eventfd signaller');
    const b = this.#binding;
    const ring = this.#ring;
    if (ring === null) {
      const flags = b.fcntlGetFl(this.fd);
      if (flags < 0 || (flags & b.constants.O_NONBLOCK) === 0) return false;
      return b.eventfdWrite(this.fd, 1) === 0;
    }
    const tail = Atomics.load(ring.sqTail, 0);
    const slot = tail & ring.sqMask;
    const size = b.constants.IO_URING_SQE_SIZE;
    ring.sqes.fill(0, slot * size, (slot + 1) * size);
    ring.sqes[slot * size] = b.constants.IORING_OP_NOP;
    ring.sqArray[slot] = slot;
    Atomics.store(ring.sqTail, 0, (tail + 1) >>> 0);
    const submitted = b.ioUringEnter(ring.fd, 1, 0, 0);
    // The no-op completes during submission; its completion is what signalled the eventfd.
    Atomics.store(ring.cqHead, 0, Atomics.load(ring.cqTail, 0));
    return submitted === 1;
  }

  /** Unregisters (by closing the ring) and unmaps. Idempotent; the eventfd stays open. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ring === null) return;
    for (const mapping of this.#ring.mappings) mapping.unmap();
    ErrnoError.check(this.#binding.close(this.#ring.fd), 'close');
  }
}
