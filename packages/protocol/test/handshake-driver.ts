import {
  decodeMsg,
  encodeMsg,
  type HandshakeAction,
  MasterHandshake,
  type MasterHandshakeOptions,
  type NegotiatedParams,
  SlaveHandshake,
  type SlaveHandshakeOptions,
  type SlaveLayout,
} from '../src/index.ts';

/** The layout a copy-mode slave would build: one region, S2M rings first (spec §2.4). */
export function layoutFor(params: NegotiatedParams): SlaveLayout {
  const ringBytes = 128 + 16 * 2 ** params.log2RingSize;
  const rings = [
    ...Array.from({ length: params.numS2mRings }, (_, index) => ({ direction: 's2m' as const, index })),
    ...Array.from({ length: params.numM2sRings }, (_, index) => ({ direction: 'm2s' as const, index })),
  ].map((r, i) => ({ ...r, region: 0, offset: i * ringBytes, log2RingSize: params.log2RingSize }));
  return { regions: [{ index: 0, size: rings.length * ringBytes + 4096 }], rings };
}

export interface PairOutcome {
  masterActions: HandshakeAction[];
  slaveActions: HandshakeAction[];
  master: MasterHandshake;
  slave: SlaveHandshake;
  /** Every message on the wire, in order, as bytes went (encoded and decoded again). */
  wire: Array<{ from: 'master' | 'slave'; type: number; fd: boolean }>;
}

/**
 * Runs a master and a slave handshake against each other through the codec, the way the memif
 * package will over a socket, with fake fd numbers.
 */
export function runPair(masterOptions: MasterHandshakeOptions, slaveOptions: SlaveHandshakeOptions): PairOutcome {
  const master = new MasterHandshake(masterOptions);
  const slave = new SlaveHandshake(slaveOptions);
  const outcome: PairOutcome = { masterActions: [], slaveActions: [], master, slave, wire: [] };
  let nextFd = 100;
  const queue: Array<{ to: 'master' | 'slave'; actions: HandshakeAction[] }> = [{ to: 'slave', actions: master.start() }];
  for (let steps = 0; queue.length > 0 && steps < 10_000; steps++) {
    const { to, actions } = queue.shift()!;
    const from = to === 'slave' ? 'master' : 'slave';
    (from === 'master' ? outcome.masterActions : outcome.slaveActions).push(...actions);
    for (const action of actions) {
      if (action.kind === 'send') {
        const fd = action.attach === undefined ? undefined : nextFd++;
        outcome.wire.push({ from, type: action.msg.type, fd: fd !== undefined });
        const msg = decodeMsg(encodeMsg(action.msg));
        const receiver = to === 'master' ? master : slave;
        queue.push({ to: from, actions: receiver.receive(msg, fd) });
      } else if (action.kind === 'negotiated') {
        queue.push({ to: 'master', actions: slave.prepared(layoutFor(action.params)) });
      } else if (action.kind === 'verify') {
        queue.push({ to: 'slave', actions: master.confirmConnected() });
      }
    }
  }
  return outcome;
}

export function closedReason(actions: HandshakeAction[]): string | undefined {
  const closed = actions.find((a) => a.kind === 'closed');
  return closed?.kind === 'closed' ? closed.reason : undefined;
}

export function isConnected(actions: HandshakeAction[]): boolean {
  return actions.some((a) => a.kind === 'connected');
}
