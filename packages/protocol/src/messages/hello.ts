import { NAME_SIZE } from '../constants.ts';
import { MsgType } from '../msg-type.ts';
import { checkUint, readString, writeString } from '../wire.ts';
import { defineMessage } from './define-message.ts';

/**
 * `memif_msg_hello_t`: sent by the master right after accept. The ring and region maxima are the
 * highest accepted *index*, not a count.
 */
export interface MsgHello {
  readonly type: typeof MsgType.Hello;
  /** The master's application name (at most 31 bytes). */
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  readonly maxRegion: number;
  readonly maxM2sRing: number;
  readonly maxS2mRing: number;
  readonly maxLog2RingSize: number;
}

export const MsgHello = defineMessage<MsgHello>({
  type: MsgType.Hello,
  fd: 'none',
  write(msg, view, bytes, at) {
    checkUint(msg.minVersion, 16, 'hello.minVersion');
    checkUint(msg.maxVersion, 16, 'hello.maxVersion');
    checkUint(msg.maxRegion, 16, 'hello.maxRegion');
    checkUint(msg.maxM2sRing, 16, 'hello.maxM2sRing');
    checkUint(msg.maxS2mRing, 16, 'hello.maxS2mRing');
    checkUint(msg.maxLog2RingSize, 8, 'hello.maxLog2RingSize');
    writeString(bytes, at + 2, NAME_SIZE, msg.name, 'hello.name');
    view.setUint16(34, msg.minVersion, true);
    view.setUint16(36, msg.maxVersion, true);
    view.setUint16(38, msg.maxRegion, true);
    view.setUint16(40, msg.maxM2sRing, true);
    view.setUint16(42, msg.maxS2mRing, true);
    view.setUint8(44, msg.maxLog2RingSize);
  },
  read: (view, bytes, at) => ({
    type: MsgType.Hello,
    name: readString(bytes, at + 2, NAME_SIZE),
    minVersion: view.getUint16(34, true),
    maxVersion: view.getUint16(36, true),
    maxRegion: view.getUint16(38, true),
    maxM2sRing: view.getUint16(40, true),
    maxS2mRing: view.getUint16(42, true),
    maxLog2RingSize: view.getUint8(44),
  }),
});
