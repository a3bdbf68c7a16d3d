export {
  MSG_SIZE,
  MEMIF_VERSION,
  MEMIF_VERSION_MAJOR,
  MEMIF_VERSION_MINOR,
  NAME_SIZE,
  SECRET_SIZE,
  DISCONNECT_REASON_SIZE,
  MAX_NAME_LENGTH,
  MAX_SECRET_LENGTH,
  MAX_DISCONNECT_REASON_LENGTH,
  DEFAULT_MAX_REGION,
  DEFAULT_MAX_RING,
  DEFAULT_MAX_LOG2_RING_SIZE,
  MAX_REGIONS,
  MAX_LOG2_RING_SIZE_ACCEPTED,
} from './constants.ts';
export { MsgType, msgTypeToString, isMsgType } from './msg-type.ts';
export { InterfaceMode, interfaceModeToString, isInterfaceMode } from './interface-mode.ts';
export { AddRingFlags, ringDirectionFromFlags } from './add-ring-flags.ts';
export { ProtocolError } from './protocol-error.ts';
export { MsgAck } from './messages/ack.ts';
export { MsgHello } from './messages/hello.ts';
export { MsgInit } from './messages/init.ts';
export { MsgAddRegion } from './messages/add-region.ts';
export { MsgAddRing } from './messages/add-ring.ts';
export { MsgConnect } from './messages/connect.ts';
export { MsgConnected } from './messages/connected.ts';
export { MsgDisconnect } from './messages/disconnect.ts';
export { encodeMsg, encodeMsgInto, decodeMsg, decodeMsgAt, msgFdPolicy } from './msg.ts';
export { DisconnectReason } from './handshake/disconnect-reason.ts';
export { MasterHandshake } from './handshake/master-handshake.ts';
export { SlaveHandshake } from './handshake/slave-handshake.ts';

export type { ProtocolErrorCode } from './protocol-error.ts';
export type { RingDirection } from './add-ring-flags.ts';
export type { Msg } from './msg.ts';
export type { MessageCodec, FdPolicy } from './messages/message-codec.ts';
export type {
  FdRef,
  HandshakeAction,
  NegotiatedParams,
  RegionInfo,
  RingInfo,
} from './handshake/handshake-action.ts';
export type {
  MasterHandshakeOptions,
  MasterInterfaceConfig,
  MasterInterfaceLookup,
} from './handshake/master-handshake.ts';
export type { SlaveHandshakeOptions, SlaveLayout } from './handshake/slave-handshake.ts';
