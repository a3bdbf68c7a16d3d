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

/**
 * Adds 1 to an eventfd that a peer shares with us, without any syscall of ours on that file
 * that could block. write(2) blocks when the peer has cleared O_NONBLOCK on the shared open file
 * description and filled the counter, and eventfd has no per-call non-blocking write
 * (pwritev2 RWF_NOWAIT fails with EOPNOTSUPP). So the eventfd is registered with a private
 * one-entry io_uring, and each `signal()` submits a no-op: the kernel signals a registered
 * eventfd on each completion with eventfd_signal(), which never waits, whatever the file's
 * flags or counter (a full counter simply stays full). Where io_uring is unavailable (kernels
 * before 5.1, seccomp profiles that forbid it, kernel.io_uring_disabled), it falls back to a
 * write(2) made only while F_GETFL shows O_NONBLOCK: that check and the write are two syscalls,
 * so a peer toggling the flag can still win that window; `method` says which one is in use.
 * Does not own the eventfd.
 */
export class EventFdSignaller {
  readonly fd: number;
  readonly method: SignalMethod;
  readonly #binding: NativeBinding;
  readonly #ringFd: number;
  readonly #mappings: Mapping[];
  readonly #sqTail: Uint32Array | null;
  readonly #sqMask: number;
  readonly #sqArray: Uint32Array | null;
  readonly #sqes: Uint8Array | null;
  readonly #cqHead: Uint32Array | null;
  readonly #cqTail: Uint32Array | null;
  #closed = false;

  constructor(fd: number, binding?: NativeBinding) {
    assertFd(fd);
    this.fd = fd;
    const b = resolveBinding(binding);
    this.#binding = b;
    const c = b.constants;
    const params = new Uint8Array(c.IO_URING_PARAMS_SIZE);
    const ringFd = b.ioUringSetup(1, params);
    if (ringFd < 0 || b.ioUringRegister(ringFd, c.IORING_REGISTER_EVENTFD, Int32Array.of(fd)) < 0) {
      if (ringFd >= 0) b.close(ringFd);
      this.method = 'write';
      this.#ringFd = -1;
      this.#mappings = [];
      this.#sqTail = this.#sqArray = this.#cqHead = this.#cqTail = null;
      this.#sqes = null;
      this.#sqMask = 0;
      return;
    }
    this.method = 'io_uring';
    this.#ringFd = ringFd;
    const p = new DataView(params.buffer);
    const u32 = (offset: number): number => p.getUint32(offset, true);
    const sqEntries = u32(SQ_ENTRIES);
    const cqEntries = u32(SQ_ENTRIES + 4);
    this.#mappings = [];
    try {
      const map = (length: number, offset: number): ArrayBuffer => {
        const mapping = Mapping.map(ringFd, length, { offset, binding: b });
        this.#mappings.push(mapping);
        return mapping.buffer;
      };
      const sq = map(u32(SQ_OFF + 24) + sqEntries * 4, c.IORING_OFF_SQ_RING);
      const cq = map(u32(CQ_OFF + 20) + cqEntries * CQE_SIZE, c.IORING_OFF_CQ_RING);
      this.#sqes = new Uint8Array(map(sqEntries * c.IO_URING_SQE_SIZE, c.IORING_OFF_SQES));
      this.#sqTail = new Uint32Array(sq, u32(SQ_OFF + 4), 1);
      this.#sqMask = new Uint32Array(sq, u32(SQ_OFF + 8), 1)[0] as number;
      this.#sqArray = new Uint32Array(sq, u32(SQ_OFF + 24), sqEntries);
      this.#cqHead = new Uint32Array(cq, u32(CQ_OFF), 1);
      this.#cqTail = new Uint32Array(cq, u32(CQ_OFF + 4), 1);
    } catch (error) {
      for (const mapping of this.#mappings) mapping.unmap();
      b.close(ringFd);
      throw error;
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
    if (this.#ringFd < 0) {
      const flags = b.fcntlGetFl(this.fd);
      if (flags < 0 || (flags & b.constants.O_NONBLOCK) === 0) return false;
      return b.eventfdWrite(this.fd, 1) === 0;
    }
    const sqTail = this.#sqTail as Uint32Array;
    const tail = Atomics.load(sqTail, 0);
    const slot = tail & this.#sqMask;
    const sqes = this.#sqes as Uint8Array;
    const size = b.constants.IO_URING_SQE_SIZE;
    sqes.fill(0, slot * size, (slot + 1) * size);
    sqes[slot * size] = b.constants.IORING_OP_NOP;
    (this.#sqArray as Uint32Array)[slot] = slot;
    Atomics.store(sqTail, 0, (tail + 1) >>> 0);
    const submitted = b.ioUringEnter(this.#ringFd, 1, 0, 0);
    // The no-op completes during submission; its completion is what signalled the eventfd.
    Atomics.store(this.#cqHead as Uint32Array, 0, Atomics.load(this.#cqTail as Uint32Array, 0));
    return submitted === 1;
  }

  /** Unregisters (by closing the ring) and unmaps. Idempotent; the eventfd stays open. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const mapping of this.#mappings) mapping.unmap();
    if (this.#ringFd >= 0) ErrnoError.check(this.#binding.close(this.#ringFd), 'close');
  }
}
