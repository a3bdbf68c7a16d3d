import { ErrnoError } from '@memif/shm-native';

/**
 * A slave's failed connect as its user sees it: the errno error (`code`, `errno`, `syscall`,
 * `path`) with a hint saying what to do. The socket layer already explains ENOENT and
 * ECONNREFUSED ("nothing is listening there"); a permission error needs its own words, or it
 * reads like a missing master.
 */
export function connectFailure(error: Error): Error {
  if (!ErrnoError.isInstance(error) || error.code !== 'EACCES') return error;
  return new ErrnoError(error.errno, error.syscall, {
    path: error.path,
    hint: 'permission denied: this user may not connect to the socket (its file mode or owner, or a directory on its path, refuses it); run as a user the socket allows, or have the master set socket-mode / owner-uid / owner-gid',
  });
}
