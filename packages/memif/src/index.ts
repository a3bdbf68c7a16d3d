export { ReceiveBatch } from '@memif/ring';
export { escapePeerText } from './escape-peer-text.ts';
export type { CloseInitiator } from './link.ts';
export { formatMacAddress, parseMacAddress, randomMacAddress } from './mac-address.ts';
export type { MemifErrorCode } from './memif-error.ts';
export { MemifError } from './memif-error.ts';
export type {
  MemifDetails,
  MemifInterfaceDeps,
  MemifInterfaceEvents,
  MemifState,
  RingDetails,
} from './memif-interface.ts';
export { createInterface, MemifInterface } from './memif-interface.ts';
export type {
  MemifConfig,
  MemifMode,
  MemifOptions,
  MemifRole,
  MemifRoleSpelling,
  MemifRxMode,
} from './memif-options.ts';
export { DEFAULT_APP_NAME, DEFAULT_SOCKET, resolveMemifOptions } from './memif-options.ts';
export type { QueueCounters } from './queue-counters.ts';
export type { RegionDetails } from './shared-region.ts';
export type { UnsealedRegionPolicy } from './unsealed-region-policy.ts';
export { UNSEALED_REGION_POLICIES } from './unsealed-region-policy.ts';
export type { MemifVdev } from './vdev.ts';
export { parseVdev, VDEV_KEYS } from './vdev.ts';
