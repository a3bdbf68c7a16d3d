import type { MsgType } from '../msg-type.ts';

/** Whether a message travels with a file descriptor (`SCM_RIGHTS`), per spec §1.5. */
export type FdPolicy = 'required' | 'none';

/** The codec of one message type: fixed size, allocation-free encode, typed decode. */
export interface MessageCodec<M extends { readonly type: MsgType }> {
  readonly type: M['type'];
  /** Always 128: memif messages have one size. */
  readonly size: number;
  /** ADD_REGION carries the region's memory fd and ADD_RING the ring's eventfd; nothing else does. */
  readonly fd: FdPolicy;
  /** Writes the whole 128-byte message at `offset` and returns the bytes written. */
  encode(msg: M, into: Uint8Array, offset?: number): number;
  /** Reads one message at `offset`; the type field must match this codec. */
  decode(from: Uint8Array, offset?: number): M;
}
