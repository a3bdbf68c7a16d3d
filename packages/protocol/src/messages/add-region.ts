import { MsgType } from '../msg-type.ts';
import { ProtocolError } from '../protocol-error.ts';
import { checkUint } from '../wire.ts';
import { defineMessage } from './define-message.ts';

/** `memif_msg_add_region_t`: announces one shared-memory region; its memfd travels with it. */
export interface MsgAddRegion {
  readonly type: typeof MsgType.AddRegion;
  readonly index: number;
  /** Region size in bytes (a u64 on the wire, unaligned at byte 4). */
  readonly size: number;
}

function sizeOutOfRange(size: unknown): ProtocolError {
  return new ProtocolError(
    'ERR_MEMIF_FIELD_RANGE',
    `addRegion.size must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}, got ${String(size)}`,
    'addRegion.size',
  );
}

export const MsgAddRegion = defineMessage<MsgAddRegion>({
  type: MsgType.AddRegion,
  fd: 'required',
  write(msg, view) {
    checkUint(msg.index, 16, 'addRegion.index');
    if (!Number.isSafeInteger(msg.size) || msg.size < 0) throw sizeOutOfRange(msg.size);
    view.setUint16(2, msg.index, true);
    view.setBigUint64(4, BigInt(msg.size), true);
  },
  read(view) {
    const size = view.getBigUint64(4, true);
    if (size > BigInt(Number.MAX_SAFE_INTEGER)) throw sizeOutOfRange(size);
    return { type: MsgType.AddRegion, index: view.getUint16(2, true), size: Number(size) };
  },
});
