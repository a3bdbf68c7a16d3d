import { constants } from 'node:os';
import { assertInteger, assertPath } from './assert-argument.ts';
import { resolveBinding } from './default-binding.ts';
import { ErrnoError } from './errno-error.ts';
import type { NativeBinding } from './native.ts';

const ENOENT = -constants.errno.ENOENT;

export interface UnlinkOptions {
  /** Succeed quietly when nothing exists at the path. Default false. */
  readonly ignoreMissing?: boolean;
  readonly binding?: NativeBinding | undefined;
}

/** unlink(2): removes a socket file or a file-backed region. */
export function unlinkPath(path: string, options: UnlinkOptions = {}): void {
  assertPath(path);
  const result = resolveBinding(options.binding).unlink(path);
  if (result === ENOENT && options.ignoreMissing === true) return;
  ErrnoError.check(result, 'unlink', { path });
}

/** chmod(2), e.g. to let group members connect to a listener's socket file. */
export function chmodPath(path: string, mode: number, binding?: NativeBinding): void {
  assertPath(path);
  assertInteger(mode, 'mode', 0, 0o7777);
  ErrnoError.check(resolveBinding(binding).chmod(path, mode), 'chmod', { path });
}

/** chown(2); pass -1 for an id to leave it unchanged. */
export function chownPath(path: string, uid: number, gid: number, binding?: NativeBinding): void {
  assertPath(path);
  assertInteger(uid, 'uid', -1, 0xffffffff);
  assertInteger(gid, 'gid', -1, 0xffffffff);
  ErrnoError.check(resolveBinding(binding).chown(path, uid, gid), 'chown', { path });
}
