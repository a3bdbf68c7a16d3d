/**
 * `@memif/memif/control`: the raw memif control channel, one 128-byte message (and at most one
 * fd) at a time over a connected SOCK_SEQPACKET socket. For tools that must see exactly what a
 * peer says, such as `memif inspect`; `createInterface` drives the same channel and hides it.
 */

export type { ControlChannelEvents } from './control-channel.ts';
export { ControlChannel } from './control-channel.ts';
