/**
 * The exact surface of the compiled addon (`src/native/*.cc`). Every function is one syscall:
 * it returns the syscall's result, or `-errno` on failure, or fills a caller-provided buffer.
 * Nothing here validates arguments beyond what would crash the process; the typed API does.
 *
 * Other packages implement this interface with fakes in their tests.
 */
export interface NativeBinding {
  readonly constants: NativeConstants;

  /** close(2). Returns 0 or -errno. */
  close(fd: number): number;
  /** fcntl(fd, F_DUPFD_CLOEXEC, 3). Returns the new fd or -errno. */
  dup(fd: number): number;
  /** open(2). Returns the fd or -errno. */
  open(path: string, flags: number, mode: number): number;
  /** unlink(2). Returns 0 or -errno. */
  unlink(path: string): number;
  /** chmod(2). Returns 0 or -errno. */
  chmod(path: string, mode: number): number;
  /** chown(2); -1 leaves an id unchanged. Returns 0 or -errno. */
  chown(path: string, uid: number, gid: number): number;
  /** ftruncate(2). Returns 0 or -errno. */
  ftruncate(fd: number, length: number): number;
  /** fcntl(fd, F_GETFL). Returns the file status flags or -errno. */
  fcntlGetFl(fd: number): number;
  /** fcntl(fd, F_SETFL, flags). Returns 0 or -errno. */
  fcntlSetFl(fd: number, flags: number): number;
  /** fstat(2) into `out` = [size, mode, uid, gid]. Returns 0 or -errno. */
  fstat(fd: number, out: Float64Array): number;

  /** memfd_create(2). Returns the fd or -errno. */
  memfdCreate(name: string, flags: number): number;
  /** fcntl(fd, F_ADD_SEALS, seals). Returns 0 or -errno. */
  fcntlAddSeals(fd: number, seals: number): number;
  /** fcntl(fd, F_GET_SEALS). Returns the seals or -errno. */
  fcntlGetSeals(fd: number): number;

  /**
   * mmap(2) with MAP_SHARED and PROT_READ|PROT_WRITE. Returns an external ArrayBuffer over the
   * mapping, -errno (-EOVERFLOW: the runtime refused an ArrayBuffer that large), or null when the
   * runtime refuses external buffers.
   */
  mmap(fd: number, length: number, offset: number): ArrayBuffer | number | null;
  /** Detaches the ArrayBuffer, then munmap(2). Returns 0, or -EINVAL if it is not a live mapping. */
  munmap(buffer: ArrayBuffer): number;

  /** eventfd(2). Returns the fd or -errno. */
  eventfd(initialValue: number, flags: number): number;
  /** read(2) of the 8-byte counter. Returns the counter (> 0) or -errno. */
  eventfdRead(fd: number): number;
  /** write(2) of an 8-byte value. Returns 0 or -errno. */
  eventfdWrite(fd: number, value: number): number;

  /** epoll_create1(2). Returns the epoll fd or -errno. */
  epollCreate1(flags: number): number;
  /** epoll_ctl(2); the event's data is `fd`. Returns 0 or -errno. */
  epollCtl(epfd: number, op: number, fd: number, events: number): number;
  /**
   * epoll_wait(2) with a timeout of 0 (it never waits) into `out` = [fd, events, fd, events…].
   * Returns the number of events or -errno.
   */
  epollWait(epfd: number, out: Int32Array): number;

  /** io_uring_setup(2); `params` (IO_URING_PARAMS_SIZE bytes) goes in and comes back filled. Returns the fd or -errno. */
  ioUringSetup(entries: number, params: Uint8Array): number;
  /** io_uring_register(2) with `args` as the argument array. Returns the result or -errno. */
  ioUringRegister(fd: number, opcode: number, args: Int32Array): number;
  /** io_uring_enter(2) without a signal mask. Returns the number submitted or -errno. */
  ioUringEnter(fd: number, toSubmit: number, minComplete: number, flags: number): number;

  /**
   * glibc mallopt(3): M_TRIM_THRESHOLD and M_TOP_PAD, in bytes. Returns 0, -EINVAL when glibc
   * refused a value, or -ENOSYS on a C library without mallopt.
   */
  mallocRetainFreed(trimThreshold: number, topPad: number): number;

  /** socket(2). Returns the fd or -errno. */
  socket(domain: number, type: number, protocol: number): number;
  /** socketpair(2) into `out` (length >= 2). Returns 0 or -errno. */
  socketpair(domain: number, type: number, protocol: number, out: Int32Array): number;
  /** bind(2) to an AF_UNIX address: path bytes, or name bytes when `abstract`. Returns 0 or -errno. */
  bind(fd: number, address: Uint8Array, abstract: boolean): number;
  /** connect(2), like `bind`. Returns 0 or -errno (-EINPROGRESS/-EAGAIN when non-blocking). */
  connect(fd: number, address: Uint8Array, abstract: boolean): number;
  /** listen(2). Returns 0 or -errno. */
  listen(fd: number, backlog: number): number;
  /** accept4(2) without a peer address. Returns the fd or -errno. */
  accept4(fd: number, flags: number): number;
  /** setsockopt(2) with an int value. Returns 0 or -errno. */
  setsockoptInt(fd: number, level: number, name: number, value: number): number;
  /** getsockopt(2) of an int into `out[0]`. Returns 0 or -errno. */
  getsockoptInt(fd: number, level: number, name: number, out: Int32Array): number;
  /** getsockopt(SO_PEERCRED) into `out` = [pid, uid, gid]. Returns 0 or -errno. */
  getsockoptPeercred(fd: number, out: Int32Array): number;
  /** shutdown(2). Returns 0 or -errno. */
  shutdown(fd: number, how: number): number;
  /** sendmsg(2) of one datagram with `fds` as SCM_RIGHTS, MSG_NOSIGNAL. Returns bytes or -errno. */
  sendmsg(fd: number, data: Uint8Array, fds: Int32Array): number;
  /**
   * recvmsg(2) with MSG_CMSG_CLOEXEC into `data`; descriptors fill `fdsOut`, extra ones are
   * closed. `meta` (length >= 7) = [fdCount, excessFdsClosed, msgFlags, hasCredentials, pid,
   * uid, gid]. Returns bytes (0 = EOF) or -errno.
   */
  recvmsg(fd: number, data: Uint8Array, fdsOut: Int32Array, meta: Int32Array): number;

  /** A libuv uv_poll_t on the calling environment's loop. */
  readonly Poll: NativePollConstructor;
}

export interface NativePollConstructor {
  new (callback: (status: number, events: number) => void): NativePoll;
}

export interface NativePoll {
  /** uv_poll_init on `fd`. Returns 0 or a negative libuv error (-errno). */
  init(fd: number): number;
  /** uv_poll_start with UV_READABLE/UV_WRITABLE/UV_DISCONNECT bits. Returns 0 or -errno. */
  start(events: number): number;
  /** uv_poll_stop. */
  stop(): number;
  /** uv_close; idempotent and safe inside the callback. */
  close(): number;
  /** uv_ref: the handle keeps the loop alive while active (the default). Returns 0 or -EBADF. */
  ref(): number;
  /** uv_unref: the handle no longer keeps the loop alive. Returns 0 or -EBADF. */
  unref(): number;
}

export interface NativeConstants {
  readonly MFD_CLOEXEC: number;
  readonly MFD_ALLOW_SEALING: number;
  readonly MFD_HUGETLB: number;
  readonly F_SEAL_SEAL: number;
  readonly F_SEAL_SHRINK: number;
  readonly F_SEAL_GROW: number;
  readonly F_SEAL_WRITE: number;
  readonly O_RDONLY: number;
  readonly O_RDWR: number;
  readonly O_CREAT: number;
  readonly O_EXCL: number;
  readonly O_CLOEXEC: number;
  readonly EFD_CLOEXEC: number;
  readonly EFD_NONBLOCK: number;
  readonly EFD_SEMAPHORE: number;
  readonly AF_UNIX: number;
  readonly SOCK_SEQPACKET: number;
  readonly SOCK_NONBLOCK: number;
  readonly SOCK_CLOEXEC: number;
  readonly SOL_SOCKET: number;
  readonly SO_PASSCRED: number;
  readonly SO_ERROR: number;
  readonly SHUT_RD: number;
  readonly SHUT_WR: number;
  readonly SHUT_RDWR: number;
  readonly MSG_TRUNC: number;
  readonly MSG_CTRUNC: number;
  readonly UV_READABLE: number;
  readonly UV_WRITABLE: number;
  readonly UV_DISCONNECT: number;
  readonly O_NONBLOCK: number;
  readonly F_GETFL: number;
  readonly EPOLL_CLOEXEC: number;
  readonly EPOLL_CTL_ADD: number;
  readonly EPOLL_CTL_DEL: number;
  readonly EPOLLIN: number;
  readonly EPOLLET: number;
  readonly IORING_OFF_SQ_RING: number;
  readonly IORING_OFF_CQ_RING: number;
  readonly IORING_OFF_SQES: number;
  readonly IORING_REGISTER_EVENTFD: number;
  readonly IORING_OP_NOP: number;
  readonly IORING_ENTER_GETEVENTS: number;
  readonly IO_URING_PARAMS_SIZE: number;
  readonly IO_URING_SQE_SIZE: number;
  readonly PAGE_SIZE: number;
}
