export type { RingDirection } from './add-ring-flags.ts';
export { AddRingFlags, ringDirectionFromFlags } from './add-ring-flags.ts';
export {
  DEFAULT_MAX_LOG2_RING_SIZE,
  DEFAULT_MAX_REGION,
  DEFAULT_MAX_RING,
  DISCONNECT_REASON_SIZE,
  MAX_DISCONNECT_REASON_LENGTH,
  MAX_LOG2_RING_SIZE_ACCEPTED,
  MAX_NAME_LENGTH,
  MAX_REGIONS,
  MAX_SECRET_LENGTH,
  MEMIF_VERSION,
  MEMIF_VERSION_MAJOR,
  MEMIF_VERSION_MINOR,
  MSG_SIZE,
  NAME_SIZE,
  SECRET_SIZE,
} from './constants.ts';
export { DisconnectReason } from './handshake/disconnect-reason.ts';
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
export { MasterHandshake } from './handshake/master-handshake.ts';
export type { SlaveHandshakeOptions, SlaveLayout } from './handshake/slave-handshake.ts';
export { SlaveHandshake } from './handshake/slave-handshake.ts';
export { InterfaceMode, interfaceModeToString, isInterfaceMode } from './interface-mode.ts';
export { MsgAck } from './messages/ack.ts';
export { MsgAddRegion } from './messages/add-region.ts';
export { MsgAddRing } from './messages/add-ring.ts';
export { MsgConnect } from './messages/connect.ts';
export { MsgConnected } from './messages/connected.ts';
export { MsgDisconnect } from './messages/disconnect.ts';
export { MsgHello } from './messages/hello.ts';
export { MsgInit } from './messages/init.ts';
export type { FdPolicy, MessageCodec } from './messages/message-codec.ts';
export type { Msg } from './msg.ts';
export { decodeMsg, decodeMsgAt, encodeMsg, encodeMsgInto, msgFdPolicy } from './msg.ts';
export { isMsgType, MsgType, msgTypeToString } from './msg-type.ts';
export type { ProtocolErrorCode } from './protocol-error.ts';
export { ProtocolError } from './protocol-error.ts';
