// A memif interface in its own process, steered by its parent over IPC: the other side of the
// Node-to-Node tests. Started with tsx: `tsx memif-peer.ts '<json options>'`.
import { createInterface, type MemifOptions } from '../../src/index.ts';
import { checkFrame, fillFrame, frameLength } from './frame-pattern.ts';

type Command =
  | { type: 'send'; count: number; sizes: number[]; queue?: number; first?: number }
  | { type: 'expect'; count: number; sizes: number[]; queue?: number; first?: number }
  | { type: 'details' }
  | { type: 'cpu' }
  | { type: 'close' };

const reply = (msg: unknown): void => {
  process.send?.(msg);
};

const { options, deps } = JSON.parse(process.argv[2] ?? '{}') as { options: MemifOptions; deps?: { replaceStaleSocket?: boolean } };
const iface = createInterface(options, deps);
iface.on('connected', (info) => reply({ type: 'connected', ...info }));
iface.on('disconnected', (reason, by) => reply({ type: 'disconnected', reason, by }));
iface.on('error', (error) => reply({ type: 'error', message: error.message }));

async function send(cmd: Extract<Command, { type: 'send' }>): Promise<void> {
  const first = cmd.first ?? 0;
  const buffers = new Map<number, Uint8Array>();
  for (let seq = first; seq < first + cmd.count; seq++) {
    const length = frameLength(seq, cmd.sizes);
    let frame = buffers.get(length);
    if (frame === undefined) {
      frame = new Uint8Array(length);
      buffers.set(length, frame);
    }
    fillFrame(frame, seq);
    await iface.send(frame, cmd.queue ?? 0);
  }
  reply({ type: 'sent', count: cmd.count });
}

async function expect(cmd: Extract<Command, { type: 'expect' }>): Promise<void> {
  const first = cmd.first ?? 0;
  let seq = first;
  const problems: string[] = [];
  for await (const frame of iface.frames(cmd.queue ?? 0)) {
    const problem = checkFrame(frame, seq, cmd.sizes);
    if (problem !== undefined && problems.length < 10) problems.push(problem);
    seq++;
    if (seq === first + cmd.count) break;
  }
  reply({ type: 'received', count: seq - first, problems });
}

process.on('message', (cmd: Command) => {
  const run = async (): Promise<void> => {
    switch (cmd.type) {
      case 'send':
        return send(cmd);
      case 'expect':
        return expect(cmd);
      case 'details':
        return reply({ type: 'details', details: iface.details() });
      case 'cpu':
        return reply({ type: 'cpu', usage: process.cpuUsage() });
      case 'close':
        await iface.close();
        reply({ type: 'closed' });
        process.disconnect?.();
        return;
    }
  };
  run().catch((error: Error) => reply({ type: 'failed', message: error.message, command: cmd.type }));
});
reply({ type: 'ready', state: iface.state });
