import { MsgType } from '../msg-type.ts';
import { checkUint } from '../wire.ts';
import { defineMessage } from './define-message.ts';

/** `memif_msg_add_ring_t`: announces one ring; its interrupt eventfd travels with it. */
export interface MsgAddRing {
  readonly type: typeof MsgType.AddRing;
  /** Bit 0 (`AddRingFlags.S2M`) set for a slave-to-master ring. */
  readonly flags: number;
  /** The queue number within the ring's direction. */
  readonly index: number;
  /** The region holding the ring header. */
  readonly region: number;
  /** Byte offset of the ring header in that region. */
  readonly offset: number;
  readonly log2RingSize: number;
  /** Must be 0 on the wire; kept so a receiver can refuse anything else. */
  readonly privateHdrSize: number;
}

export const MsgAddRing = defineMessage<MsgAddRing>({
  type: MsgType.AddRing,
  fd: 'required',
  write(msg, view) {
    checkUint(msg.flags, 16, 'addRing.flags');
    checkUint(msg.index, 16, 'addRing.index');
    checkUint(msg.region, 16, 'addRing.region');
    checkUint(msg.offset, 32, 'addRing.offset');
    checkUint(msg.log2RingSize, 8, 'addRing.log2RingSize');
    checkUint(msg.privateHdrSize, 16, 'addRing.privateHdrSize');
    view.setUint16(2, msg.flags, true);
    view.setUint16(4, msg.index, true);
    view.setUint16(6, msg.region, true);
    view.setUint32(8, msg.offset, true);
    view.setUint8(12, msg.log2RingSize);
    view.setUint16(13, msg.privateHdrSize, true);
  },
  read: (view) => ({
    type: MsgType.AddRing,
    flags: view.getUint16(2, true),
    index: view.getUint16(4, true),
    region: view.getUint16(6, true),
    offset: view.getUint32(8, true),
    log2RingSize: view.getUint8(12),
    privateHdrSize: view.getUint16(13, true),
  }),
});
