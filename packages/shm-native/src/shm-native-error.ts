const marker = Symbol.for('@memif/shm-native/error');

/**
 * Base class of this package's domain errors (bad argument, addon not loadable, ...). Each
 * subclass has a stable `code`. Use `ShmNativeError.isInstance(e)` rather than `instanceof`,
 * which fails across two copies of the package.
 */
export class ShmNativeError extends Error {
  readonly [marker] = true;
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }

  static isInstance(error: unknown): error is ShmNativeError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
