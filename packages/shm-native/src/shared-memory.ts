import { assertFd, assertInteger, assertPath } from './assert-argument.ts';
import { resolveBinding } from './default-binding.ts';
import { ErrnoError } from './errno-error.ts';
import { InvalidArgumentError } from './invalid-argument-error.ts';
import { Mapping } from './mapping.ts';
import type { NativeBinding } from './native.ts';
import { OwnedFd } from './owned-fd.ts';

export interface CreateMemfdOptions {
  /** ftruncate to this many bytes after creating. */
  readonly size?: number;
  /** MFD_HUGETLB: back the file with huge pages (size must be a huge page multiple). */
  readonly hugetlb?: boolean;
  /** Seals to add after sizing, e.g. `Seal.Shrink | Seal.Grow | Seal.Seal`. */
  readonly seals?: number;
  readonly binding?: NativeBinding | undefined;
}

export interface OpenFileOptions {
  /** O_CREAT. Default true. */
  readonly create?: boolean;
  /** O_EXCL: fail if the file exists. Default false. */
  readonly exclusive?: boolean;
  /** Permission bits for a created file. Default 0o600. */
  readonly mode?: number;
  /** ftruncate to this many bytes after opening. */
  readonly size?: number;
  readonly binding?: NativeBinding | undefined;
}

export interface FileStat {
  readonly size: number;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

/**
 * A file descriptor for shareable memory: a memfd, a file under /dev/shm or hugetlbfs, or an fd
 * received from a peer. Owns its fd; `close()` closes it (existing mappings stay valid).
 */
export class SharedMemory extends OwnedFd {
  private constructor(fd: number, binding: NativeBinding) {
    super(fd, binding, 'shared memory fd');
  }

  /** memfd_create with MFD_CLOEXEC | MFD_ALLOW_SEALING, then optional size and seals. */
  static createMemfd(name: string, options: CreateMemfdOptions = {}): SharedMemory {
    if (typeof name !== 'string' || name.includes('\0') || Buffer.byteLength(name) > 249) {
      throw new InvalidArgumentError('name must be a string of at most 249 bytes without NUL');
    }
    assertSetUp(options.size, options.seals);
    const binding = resolveBinding(options.binding);
    const { MFD_CLOEXEC, MFD_ALLOW_SEALING, MFD_HUGETLB } = binding.constants;
    const flags = MFD_CLOEXEC | MFD_ALLOW_SEALING | (options.hugetlb === true ? MFD_HUGETLB : 0);
    const fd = ErrnoError.check(binding.memfdCreate(name, flags), 'memfd_create', {
      hint: options.hugetlb === true ? 'hugetlb memfds need free huge pages' : undefined,
    });
    return new SharedMemory(fd, binding).#setUp(options.size, options.seals);
  }

  /** Opens (by default creating) a file-backed region, e.g. under /dev/shm or hugetlbfs. */
  static openFile(path: string, options: OpenFileOptions = {}): SharedMemory {
    assertPath(path);
    const mode = options.mode ?? 0o600;
    assertInteger(mode, 'mode', 0, 0o7777);
    assertSetUp(options.size, undefined);
    const binding = resolveBinding(options.binding);
    const { O_RDWR, O_CLOEXEC, O_CREAT, O_EXCL } = binding.constants;
    const flags = O_RDWR | O_CLOEXEC | (options.create === false ? 0 : O_CREAT) | (options.exclusive === true ? O_EXCL : 0);
    const fd = ErrnoError.check(binding.open(path, flags, mode), 'open', { path });
    return new SharedMemory(fd, binding).#setUp(options.size, undefined);
  }

  /** Takes ownership of an existing descriptor (e.g. one received over a socket). */
  static fromFd(fd: number, binding?: NativeBinding): SharedMemory {
    assertFd(fd);
    return new SharedMemory(fd, resolveBinding(binding));
  }

  /** fstat(2). */
  stat(): FileStat {
    const out = new Float64Array(4);
    ErrnoError.check(this.binding.fstat(this.fd, out), 'fstat');
    return { size: out[0] ?? 0, mode: out[1] ?? 0, uid: out[2] ?? 0, gid: out[3] ?? 0 };
  }

  /** The file's real size in bytes (fstat st_size). */
  size(): number {
    return this.stat().size;
  }

  /** ftruncate(2). */
  truncate(size: number): void {
    assertInteger(size, 'size', 0);
    ErrnoError.check(this.binding.ftruncate(this.fd, size), 'ftruncate', {
      hint: size < this.size() ? 'a shrink seal forbids making the file smaller' : undefined,
    });
  }

  /** F_ADD_SEALS (see `Seal`). */
  addSeals(seals: number): void {
    assertInteger(seals, 'seals', 1, 0xffff);
    ErrnoError.check(this.binding.fcntlAddSeals(this.fd, seals), 'fcntl', {
      hint: 'F_ADD_SEALS needs a memfd created with MFD_ALLOW_SEALING and no F_SEAL_SEAL yet',
    });
  }

  /** F_GET_SEALS: the seals set so far (0 for none; files that cannot be sealed give EINVAL). */
  seals(): number {
    return ErrnoError.check(this.binding.fcntlGetSeals(this.fd), 'fcntl');
  }

  /** Maps `length` bytes (default: the whole file) from `offset` (default 0). */
  map(length?: number, offset = 0): Mapping {
    return Mapping.map(this.fd, length ?? this.size(), { offset, binding: this.binding });
  }

  #setUp(size: number | undefined, seals: number | undefined): this {
    try {
      if (size !== undefined) this.truncate(size);
      if (seals !== undefined && seals !== 0) this.addSeals(seals);
      return this;
    } catch (error) {
      this.close();
      throw error;
    }
  }
}

function assertSetUp(size: number | undefined, seals: number | undefined): void {
  if (size !== undefined) assertInteger(size, 'size', 0);
  if (seals !== undefined) assertInteger(seals, 'seals', 0, 0xffff);
}
