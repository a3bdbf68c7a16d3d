/** Control message types (`MEMIF_MSG_TYPE_*`). */
export const MsgType = {
  None: 0,
  Ack: 1,
  Hello: 2,
  Init: 3,
  AddRegion: 4,
  AddRing: 5,
  Connect: 6,
  Connected: 7,
  Disconnect: 8,
} as const;

export type MsgType = (typeof MsgType)[keyof typeof MsgType];

const names: readonly string[] = ['NONE', 'ACK', 'HELLO', 'INIT', 'ADD_REGION', 'ADD_RING', 'CONNECT', 'CONNECTED', 'DISCONNECT'];

/** Names a message type the way memif.h does; unknown values are named, never thrown. */
export function msgTypeToString(type: number): string {
  return names[type] ?? `UNKNOWN(${type})`;
}

export function isMsgType(value: number): value is MsgType {
  return Number.isInteger(value) && value >= MsgType.None && value <= MsgType.Disconnect;
}
