import { ErrnoError } from './errno-error.ts';
import type { NativeBinding } from './native.ts';
import { ResourceClosedError } from './resource-closed-error.ts';

/** A descriptor this object owns and closes exactly once; the base of the fd-holding classes. */
export class OwnedFd {
  protected readonly binding: NativeBinding;
  readonly #resource: string;
  #fd: number;

  protected constructor(fd: number, binding: NativeBinding, resource: string) {
    this.#fd = fd;
    this.binding = binding;
    this.#resource = resource;
  }

  /** The descriptor; throws `ResourceClosedError` once closed. */
  get fd(): number {
    if (this.#fd < 0) throw new ResourceClosedError(this.#resource);
    return this.#fd;
  }

  get closed(): boolean {
    return this.#fd < 0;
  }

  /** Closes the descriptor. Idempotent. */
  close(): void {
    if (this.#fd < 0) return;
    const fd = this.#fd;
    this.#fd = -1;
    ErrnoError.check(this.binding.close(fd), 'close');
  }
}
