import type { CloseInitiator } from './link.ts';

export interface MemifInterfaceEvents {
  connected: [info: { peerName: string; peerInterfaceName: string }];
  disconnected: [reason: string, by: CloseInitiator];
  readable: [queue: number];
  /** Something to know and fix once (the link stays up); see `details().warnings`. */
  warning: [warning: { code: string; message: string }];
  error: [error: Error];
  close: [];
}
