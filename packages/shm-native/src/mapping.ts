import { constants as bufferConstants } from 'node:buffer';
import { assertFd, assertInteger } from './assert-argument.ts';
import { resolveBinding } from './default-binding.ts';
import { ErrnoError } from './errno-error.ts';
import { ExternalBuffersNotAllowedError } from './external-buffers-not-allowed-error.ts';
import { InvalidArgumentError } from './invalid-argument-error.ts';
import type { NativeBinding } from './native.ts';
import { ResourceClosedError } from './resource-closed-error.ts';

export interface MapOptions {
  /** Byte offset into the file; a multiple of the page size. Default 0. */
  readonly offset?: number;
  readonly binding?: NativeBinding | undefined;
}

/**
 * A shared (MAP_SHARED, read/write) mapping of a file descriptor, exposed as an ArrayBuffer.
 * `unmap()` detaches the buffer before unmapping, so stale views never touch unmapped memory:
 * they have length 0, element reads give `undefined` and writes are dropped silently (only
 * methods such as `set()` or `subarray()` throw). The mapping stays valid after its fd is closed.
 */
export class Mapping {
  readonly length: number;
  readonly offset: number;
  readonly #binding: NativeBinding;
  #buffer: ArrayBuffer | null;

  private constructor(buffer: ArrayBuffer, offset: number, binding: NativeBinding) {
    this.#buffer = buffer;
    this.length = buffer.byteLength;
    this.offset = offset;
    this.#binding = binding;
  }

  /**
   * The largest mapping this runtime can expose: Node-API creates external ArrayBuffers through
   * Node's Buffer, so `buffer.constants.MAX_LENGTH` (2^32 on Node 20, 2^53 − 1 from Node 22).
   */
  static readonly maxLength: number = bufferConstants.MAX_LENGTH;

  /** Maps `length` bytes of `fd`; `length` need not be a multiple of the page size. */
  static map(fd: number, length: number, options: MapOptions = {}): Mapping {
    assertFd(fd);
    assertInteger(length, 'length', 1);
    if (length > Mapping.maxLength) {
      throw new InvalidArgumentError(
        `length ${length} exceeds the largest ArrayBuffer this runtime can map (${Mapping.maxLength} bytes, buffer.constants.MAX_LENGTH of Node ${process.versions.node})`,
      );
    }
    const offset = options.offset ?? 0;
    const binding = resolveBinding(options.binding);
    assertInteger(offset, 'offset', 0);
    if (offset % binding.constants.PAGE_SIZE !== 0) {
      throw new InvalidArgumentError(`offset must be a multiple of the page size (${binding.constants.PAGE_SIZE}), got ${offset}`);
    }
    const result = binding.mmap(fd, length, offset);
    if (result === null) throw new ExternalBuffersNotAllowedError();
    if (typeof result === 'number') {
      throw new ErrnoError(result, 'mmap', {
        hint: `fd ${fd}, length ${length}, offset ${offset}`,
      });
    }
    return new Mapping(result, offset, binding);
  }

  /** The mapped memory. Throws once unmapped. */
  get buffer(): ArrayBuffer {
    if (this.#buffer === null) throw new ResourceClosedError('mapping');
    return this.#buffer;
  }

  get mapped(): boolean {
    return this.#buffer !== null;
  }

  /** Detaches the ArrayBuffer, then unmaps. Idempotent. */
  unmap(): void {
    if (this.#buffer === null) return;
    const buffer = this.#buffer;
    this.#buffer = null;
    ErrnoError.check(this.#binding.munmap(buffer), 'munmap');
  }

  /** Same as `unmap()`. */
  close(): void {
    this.unmap();
  }
}
