import { MAX_DISCONNECT_REASON_LENGTH } from '../constants.ts';
import { type Msg, msgFdPolicy } from '../msg.ts';
import { MsgType } from '../msg-type.ts';
import { ProtocolError } from '../protocol-error.ts';
import { DisconnectReason } from './disconnect-reason.ts';
import type { HandshakeAction } from './handshake-action.ts';

/** What both roles share: teardown, DISCONNECT handling, fd hygiene, and refusing late calls. */
export abstract class HandshakeMachine<State extends string> {
  #state: State | 'closed';
  #closeReason: string | undefined;

  protected constructor(initial: State) {
    this.#state = initial;
  }

  get state(): State | 'closed' {
    return this.#state;
  }

  /** Why the connection ended, once it has. */
  get closeReason(): string | undefined {
    return this.#closeReason;
  }

  protected setState(next: State): void {
    this.#state = next;
  }

  /**
   * Feeds one decoded message from the peer, with the fd that came with it. Messages after the
   * connection closed are dropped; an fd on a message that carries none is handed back to close.
   */
  receive(msg: Msg, fd?: number): HandshakeAction[] {
    if (this.#state === 'closed') return fd === undefined ? [] : [{ kind: 'closeFd', fd }];
    const actions: HandshakeAction[] = [];
    let ownFd = fd;
    if (fd !== undefined && msgFdPolicy(msg.type) === 'none') {
      actions.push({ kind: 'closeFd', fd });
      ownFd = undefined;
    }
    if (msg.type === MsgType.Disconnect) {
      actions.push(this.close(msg.reason, 'remote'));
      return actions;
    }
    const handled = this.handle(msg, ownFd);
    // A message refused before the driver took its fd must not leak that fd.
    if (ownFd !== undefined && !handled.some((a) => 'fd' in a && a.fd === ownFd)) {
      actions.push({ kind: 'closeFd', fd: ownFd });
    }
    actions.push(...handled);
    return actions;
  }

  /** A datagram that could not be decoded: answer as the peers do, then close. */
  malformed(error: unknown): HandshakeAction[] {
    if (this.#state === 'closed') return [];
    let reason: string = DisconnectReason.MalformedMessage;
    if (ProtocolError.isInstance(error)) {
      if (error.code === 'ERR_MEMIF_MSG_SIZE') reason = DisconnectReason.InvalidMessageSize;
      else if (error.code === 'ERR_MEMIF_MSG_TYPE') reason = DisconnectReason.UnknownMessageType;
    }
    return this.fail(reason);
  }

  /** We end the connection: send DISCONNECT with `reason` (cut to 95 bytes), then close. */
  disconnect(reason: string): HandshakeAction[] {
    if (this.#state === 'closed') return [];
    return this.fail(reason);
  }

  /** The control socket reached end of file or failed: close without sending anything. */
  peerClosed(reason: string = DisconnectReason.PeerClosed): HandshakeAction[] {
    if (this.#state === 'closed') return [];
    return [this.close(reason, 'remote')];
  }

  protected abstract handle(msg: Msg, fd: number | undefined): HandshakeAction[];

  protected fail(reason: string): HandshakeAction[] {
    const wireReason = truncateUtf8(reason, MAX_DISCONNECT_REASON_LENGTH);
    return [{ kind: 'send', msg: { type: MsgType.Disconnect, code: 0, reason: wireReason } }, this.close(reason, 'local')];
  }

  protected unexpected(msg: Msg): HandshakeAction[] {
    void msg;
    return this.fail(DisconnectReason.UnexpectedMessage);
  }

  protected assertState(expected: State, call: string): void {
    if (this.#state !== expected) {
      throw new ProtocolError(
        'ERR_MEMIF_HANDSHAKE_STATE',
        `${call}() is valid in state '${expected}', the handshake is in state '${this.#state}'`,
      );
    }
  }

  private close(reason: string, by: 'local' | 'remote'): HandshakeAction {
    this.#state = 'closed';
    this.#closeReason = reason;
    return { kind: 'closed', reason, by };
  }
}

/** Cuts `text` to at most `maxBytes` bytes of UTF-8 without splitting a character. */
function truncateUtf8(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (code === 0 || bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}
