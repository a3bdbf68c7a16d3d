/**
 * DISCONNECT reason strings. Where DPDK 22.11 has a reason for the same check we use its exact
 * wording (spec §1.7, §1.8), so logs and tools that match on DPDK's strings match ours.
 */
export const DisconnectReason = {
  IncompatibleVersion: 'Incompatible memif version',
  IdNotFound: 'ID not found',
  AlreadyConnected: 'Already connected',
  ModeMismatch: 'Mode mismatch',
  SecretRequired: 'Secret required',
  IncorrectSecret: 'Incorrect secret',
  MissingRegionFd: 'Missing region fd',
  InvalidRegionIndex: 'Invalid region index',
  InvalidRegionSize: 'Invalid region size',
  MissingInterruptFd: 'Missing interrupt fd',
  InvalidRingIndex: 'Invalid ring index',
  InvalidRingSize: 'Invalid ring size',
  InvalidRingRegion: 'Invalid ring region',
  PrivateHeadersNotSupported: 'Private headers not supported',
  MissingRing: 'Missing ring',
  InvalidMessageSize: 'Invalid message size',
  UnexpectedMessage: 'Unexpected message',
  UnknownMessageType: 'Unknown message type',
  MalformedMessage: 'Malformed message',
  PeerClosed: 'Connection closed by peer',
  DeviceClosed: 'Device closed',
} as const;

export type DisconnectReason = (typeof DisconnectReason)[keyof typeof DisconnectReason];
