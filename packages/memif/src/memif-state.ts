/** Where an interface is in its life. */
export type MemifState = 'listening' | 'connecting' | 'handshake' | 'connected' | 'closed';
