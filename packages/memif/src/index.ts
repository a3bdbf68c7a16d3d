export { MemifError } from './memif-error.ts';
export { parseVdev, VDEV_KEYS } from './vdev.ts';
export { resolveMemifOptions, DEFAULT_SOCKET, DEFAULT_APP_NAME } from './memif-options.ts';
export { parseMacAddress, formatMacAddress, randomMacAddress } from './mac-address.ts';
export { MemifInterface, createInterface } from './memif-interface.ts';
export { escapePeerText } from './escape-peer-text.ts';
export { UNSEALED_REGION_POLICIES } from './unsealed-region-policy.ts';
export { ReceiveBatch } from '@memif/ring';

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
export type {
  MemifDetails,
  MemifInterfaceDeps,
  MemifInterfaceEvents,
  MemifState,
  RingDetails,
} from './memif-interface.ts';
export type { QueueCounters } from './queue-counters.ts';
export type { RegionDetails } from './shared-region.ts';
export type { UnsealedRegionPolicy } from './unsealed-region-policy.ts';
export type { CloseInitiator } from './link.ts';
