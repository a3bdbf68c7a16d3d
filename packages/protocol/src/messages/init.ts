import { NAME_SIZE, SECRET_SIZE } from '../constants.ts';
import { type InterfaceMode, isInterfaceMode } from '../interface-mode.ts';
import { MsgType } from '../msg-type.ts';
import { ProtocolError } from '../protocol-error.ts';
import { checkUint, readString, writeString } from '../wire.ts';
import { defineMessage } from './define-message.ts';

/** `memif_msg_init_t`: the slave's first message, naming the interface it wants. */
export interface MsgInit {
  readonly type: typeof MsgType.Init;
  readonly version: number;
  /** The interface id on the master's socket (u32). */
  readonly id: number;
  readonly mode: InterfaceMode;
  /** Empty when there is none; at most 23 bytes. */
  readonly secret: string;
  /** The slave's application name (at most 31 bytes). */
  readonly name: string;
}

function checkMode(mode: number): asserts mode is InterfaceMode {
  if (!isInterfaceMode(mode)) {
    throw new ProtocolError(
      'ERR_MEMIF_FIELD_RANGE',
      `init.mode must be 0 (ethernet), 1 (ip) or 2 (punt/inject), got ${String(mode)}`,
      'init.mode',
    );
  }
}

export const MsgInit = defineMessage<MsgInit>({
  type: MsgType.Init,
  fd: 'none',
  write(msg, view, bytes, at) {
    checkUint(msg.version, 16, 'init.version');
    checkUint(msg.id, 32, 'init.id');
    checkMode(msg.mode);
    writeString(bytes, at + 9, SECRET_SIZE, msg.secret, 'init.secret');
    writeString(bytes, at + 33, NAME_SIZE, msg.name, 'init.name');
    view.setUint16(2, msg.version, true);
    view.setUint32(4, msg.id, true);
    view.setUint8(8, msg.mode);
  },
  read(view, bytes, at) {
    const mode = view.getUint8(8);
    checkMode(mode);
    return {
      type: MsgType.Init,
      version: view.getUint16(2, true),
      id: view.getUint32(4, true),
      mode,
      secret: readString(bytes, at + 9, SECRET_SIZE),
      name: readString(bytes, at + 33, NAME_SIZE),
    };
  },
});
