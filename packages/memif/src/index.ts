export { MemifError } from './memif-error.ts';
export { parseVdev, VDEV_KEYS } from './vdev.ts';
export { resolveMemifOptions, DEFAULT_SOCKET, DEFAULT_APP_NAME } from './memif-options.ts';
export { parseMacAddress, formatMacAddress, randomMacAddress } from './mac-address.ts';

export type { MemifErrorCode } from './memif-error.ts';
export type { MemifVdev } from './vdev.ts';
export type {
  MemifOptions,
  MemifConfig,
  MemifRole,
  MemifRoleSpelling,
  MemifMode,
  MemifRxMode,
} from './memif-options.ts';
