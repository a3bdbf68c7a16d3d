import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MemifOptions } from '../../src/index.ts';

const script = fileURLToPath(new URL('./memif-peer.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../../node_modules/tsx/dist/loader.mjs', import.meta.url));

interface PeerMessage {
  type: string;
  [key: string]: unknown;
}

/** A memif interface in a child process, and a way to talk to it. Always `kill()` it. */
export class Peer {
  readonly child: ChildProcess;
  readonly messages: PeerMessage[] = [];
  #waiters: Array<{ match: (m: PeerMessage) => boolean; resolve: (m: PeerMessage) => void }> = [];

  constructor(options: MemifOptions, deps: { replaceStaleSocket?: boolean } = {}) {
    this.child = fork(script, [JSON.stringify({ options, deps })], {
      execArgv: ['--import', tsx],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (m: PeerMessage) => {
      this.messages.push(m);
      for (const waiter of [...this.#waiters]) {
        if (waiter.match(m)) {
          this.#waiters = this.#waiters.filter((w) => w !== waiter);
          waiter.resolve(m);
        }
      }
    });
  }

  /** The first message of `type` (already received or still to come), within `timeoutMs`. */
  next(type: string, timeoutMs = 15_000, after = 0): Promise<PeerMessage> {
    const seen = this.messages.slice(after).find((m) => m.type === type);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w.resolve !== done);
        reject(new Error(`peer sent no '${type}' within ${timeoutMs} ms; it sent ${JSON.stringify(this.messages)}`));
      }, timeoutMs);
      const done = (m: PeerMessage): void => {
        clearTimeout(timer);
        resolve(m);
      };
      this.#waiters.push({ match: (m) => m.type === type || m.type === 'failed', resolve: done });
    });
  }

  /** Sends a command and waits for the reply of type `replyType`. */
  async request(command: Record<string, unknown>, replyType: string, timeoutMs = 60_000): Promise<PeerMessage> {
    const mark = this.messages.length;
    this.child.send(command);
    const reply = await this.next(replyType, timeoutMs, mark);
    if (reply.type === 'failed') throw new Error(`peer failed '${String(command.type)}': ${String(reply.message)}`);
    return reply;
  }

  /** Ends the child for good (SIGKILL after a grace period); resolves when it is gone. */
  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}
