import { InvalidArgumentError } from './invalid-argument-error.ts';

/** Throws unless `value` is an integer in [min, max]. */
export function assertInteger(value: unknown, name: string, min = 0, max = Number.MAX_SAFE_INTEGER): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(`${name} must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
}

/** Throws unless `value` is a plausible file descriptor (a non-negative int32). */
export function assertFd(value: unknown, name = 'fd'): asserts value is number {
  assertInteger(value, name, 0, 0x7fffffff);
}

/** Throws unless `value` is a non-empty string without NUL bytes. */
export function assertPath(value: unknown, name = 'path'): asserts value is string {
  if (typeof value !== 'string' || value.length === 0 || value.includes('\0')) {
    throw new InvalidArgumentError(`${name} must be a non-empty string without NUL bytes`);
  }
}
