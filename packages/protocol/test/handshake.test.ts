import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DisconnectReason,
  type HandshakeAction,
  type InterfaceMode,
  MasterHandshake,
  type MasterHandshakeOptions,
  type MasterInterfaceLookup,
  type Msg,
  MsgType,
  ProtocolError,
  SlaveHandshake,
  type SlaveHandshakeOptions,
} from '../src/index.ts';
import { anyMsg } from './arbitraries.ts';
import { closedReason, isConnected, runPair } from './handshake-driver.ts';

const slaveDefaults: SlaveHandshakeOptions = {
  appName: 'node-memif',
  ifName: 'memif0',
  id: 0,
  mode: 0,
  numS2mRings: 1,
  numM2sRings: 1,
  log2RingSize: 10,
};

function masterFor(
  interfaces: Record<number, { mode?: InterfaceMode; secret?: string; rings?: number; busy?: boolean }>,
): MasterHandshakeOptions {
  return {
    appName: 'node-memif master',
    lookup(id): MasterInterfaceLookup {
      const found = interfaces[id];
      if (found === undefined) return { status: 'not-found' };
      if (found.busy === true) return { status: 'busy' };
      return {
        status: 'available',
        config: {
          mode: found.mode ?? 0,
          secret: found.secret,
          maxS2mRings: found.rings ?? 1,
          maxM2sRings: found.rings ?? 1,
          ifName: `master${id}`,
        },
      };
    },
  };
}

describe('a slave and a master', () => {
  it('connect with the lock-step message order of spec §1.6', () => {
    const { masterActions, slaveActions, wire } = runPair(masterFor({ 0: {} }), slaveDefaults);
    expect(isConnected(masterActions)).toBe(true);
    expect(isConnected(slaveActions)).toBe(true);
    expect(wire.map((m) => `${m.from}:${m.type}${m.fd ? '+fd' : ''}`)).toEqual([
      'master:2',
      'slave:3',
      'master:1',
      'slave:4+fd',
      'master:1',
      'slave:5+fd',
      'master:1',
      'slave:5+fd',
      'master:1',
      'slave:6',
      'master:7',
    ]);
  });

  it('send S2M rings before M2S rings, each in index order, and negotiate down to the HELLO limits', () => {
    const master = masterFor({ 3: { rings: 4 } });
    const {
      slave,
      wire,
      master: m,
    } = runPair(
      { ...master, maxS2mRing: 1, maxM2sRing: 2, maxLog2RingSize: 8 },
      { ...slaveDefaults, id: 3, numS2mRings: 4, numM2sRings: 4, log2RingSize: 12 },
    );
    expect(slave.params).toMatchObject({ numS2mRings: 2, numM2sRings: 3, log2RingSize: 8, peerName: 'node-memif master' });
    expect(m.rings.map((r) => `${r.direction}${r.index}`)).toEqual(['s2m0', 's2m1', 'm2s0', 'm2s1', 'm2s2']);
    expect(wire.filter((w) => w.type === MsgType.AddRing)).toHaveLength(5);
    expect(m.interfaceId).toBe(3);
  });

  it.each([
    ['an unknown id', masterFor({ 1: {} }), slaveDefaults, DisconnectReason.IdNotFound],
    ['a busy interface', masterFor({ 0: { busy: true } }), slaveDefaults, DisconnectReason.AlreadyConnected],
    ['a missing secret', masterFor({ 0: { secret: 'abc' } }), slaveDefaults, DisconnectReason.SecretRequired],
    ['a wrong secret', masterFor({ 0: { secret: 'abc' } }), { ...slaveDefaults, secret: 'abd' }, DisconnectReason.IncorrectSecret],
    ['a longer secret', masterFor({ 0: { secret: 'abc' } }), { ...slaveDefaults, secret: 'abcd' }, DisconnectReason.IncorrectSecret],
    ['a mode mismatch', masterFor({ 0: { mode: 1 } }), slaveDefaults, DisconnectReason.ModeMismatch],
  ])('refuse %s with the DPDK reason, on both sides', (_, master, slave, reason) => {
    const { masterActions, slaveActions } = runPair(master, slave);
    expect(isConnected(masterActions) || isConnected(slaveActions)).toBe(false);
    expect(closedReason(masterActions)).toBe(reason);
    expect(masterActions).toContainEqual({ kind: 'closed', reason, by: 'local' });
    expect(slaveActions).toContainEqual({ kind: 'closed', reason, by: 'remote' });
  });

  it.each([
    ['S2M', { numS2mRings: 2 }, 'Invalid ring index: S2M ring 1, the master has 1 rx queue'],
    ['M2S', { numM2sRings: 3 }, 'Invalid ring index: M2S ring 1, the master has 1 tx queue'],
  ])('refuse more %s rings than the interface has queues (a slave that ignores HELLO), saying what it has', (_, rings, reason) => {
    const { masterActions, slaveActions } = runPair(masterFor({ 0: { rings: 1 } }), { ...slaveDefaults, ...rings });
    expect(isConnected(masterActions) || isConnected(slaveActions)).toBe(false);
    expect(reason.startsWith(DisconnectReason.InvalidRingIndex)).toBe(true);
    expect(masterActions).toContainEqual({ kind: 'closed', reason, by: 'local' });
    expect(slaveActions).toContainEqual({ kind: 'closed', reason, by: 'remote' });
  });

  it('ignore a secret sent to a master that has none, as every peer does', () => {
    const { masterActions } = runPair(masterFor({ 0: {} }), { ...slaveDefaults, secret: 'unused' });
    expect(isConnected(masterActions)).toBe(true);
  });

  it('connect exactly when id, mode and secret agree (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom<InterfaceMode>(0, 1, 2),
        fc.constantFrom<InterfaceMode>(0, 1, 2),
        fc.constantFrom('', 'a', 'secret', 'x'.repeat(23)),
        fc.constantFrom('', 'a', 'secret', 'x'.repeat(23)),
        fc.boolean(),
        (id, masterMode, slaveMode, masterSecret, slaveSecret, busy) => {
          const master = masterFor({ 2: { mode: masterMode, secret: masterSecret, busy } });
          const { masterActions, slaveActions } = runPair(master, { ...slaveDefaults, id, mode: slaveMode, secret: slaveSecret });
          const shouldConnect = id === 2 && !busy && masterMode === slaveMode && (masterSecret === '' || masterSecret === slaveSecret);
          expect(isConnected(masterActions)).toBe(shouldConnect);
          expect(isConnected(slaveActions)).toBe(shouldConnect);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('a master fed arbitrary messages', () => {
  const validInit: Msg = { type: MsgType.Init, version: 0x200, id: 5, mode: 0, secret: 'pw', name: 'peer' };

  function feed(messages: Array<{ msg: Msg; fd: number | undefined }>) {
    const master = new MasterHandshake(masterFor({ 5: { secret: 'pw', rings: 2 } }));
    const actions: HandshakeAction[] = [...master.start()];
    const consumed: Array<{ msg: Msg; fd: number | undefined }> = [];
    for (const m of messages) {
      if (master.state === 'closed' || master.state === 'connected') break;
      consumed.push(m);
      const out = master.receive(m.msg, m.fd);
      actions.push(...out);
      if (out.some((a) => a.kind === 'verify')) actions.push(...master.confirmConnected());
    }
    return { master, actions, consumed };
  }

  const fdOrNot = fc.option(fc.integer({ min: 3, max: 1000 }), { nil: undefined });
  const plausible = fc.oneof(
    anyMsg,
    fc.constant(validInit),
    fc.record({ type: fc.constant(4 as const), index: fc.integer({ min: 0, max: 2 }), size: fc.integer({ min: 0, max: 1 << 20 }) }),
    fc.record({
      type: fc.constant(5 as const),
      flags: fc.integer({ min: 0, max: 1 }),
      index: fc.integer({ min: 0, max: 2 }),
      region: fc.integer({ min: 0, max: 1 }),
      offset: fc.constant(0),
      log2RingSize: fc.integer({ min: 0, max: 16 }),
      privateHdrSize: fc.constantFrom(0, 0, 0, 1),
    }),
    fc.constant<Msg>({ type: MsgType.Connect, ifName: 'x' }),
  );
  const sequence = fc.array(fc.record({ msg: plausible, fd: fdOrNot }), { maxLength: 12 });

  it('never reaches connected unless INIT (right id and secret), regions and rings with fds, then CONNECT came in order', () => {
    fc.assert(
      fc.property(sequence, (messages) => {
        const { actions, consumed } = feed(messages);
        if (!isConnected(actions)) return;
        const [first, ...rest] = consumed;
        expect(first?.msg).toEqual(validInit);
        expect(rest.at(-1)?.msg.type).toBe(MsgType.Connect);
        const setup = rest.slice(0, -1);
        for (const m of setup) {
          expect([MsgType.AddRegion, MsgType.AddRing]).toContain(m.msg.type);
          expect(m.fd).toBeDefined();
        }
        const rings = setup.filter((m) => m.msg.type === MsgType.AddRing).map((m) => m.msg);
        expect(rings.some((r) => r.type === MsgType.AddRing && (r.flags & 1) === 1)).toBe(true);
        expect(rings.some((r) => r.type === MsgType.AddRing && (r.flags & 1) === 0)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('hands every received fd back exactly once: owned by a region or ring, or to be closed', () => {
    fc.assert(
      fc.property(sequence, (messages) => {
        const master = new MasterHandshake(masterFor({ 5: { secret: 'pw', rings: 2 } }));
        const actions: HandshakeAction[] = [...master.start()];
        const given: number[] = [];
        messages.forEach(({ msg }, i) => {
          const fd = 10 + i;
          given.push(fd);
          actions.push(...master.receive(msg, fd));
        });
        const returned = actions.flatMap((a) => ('fd' in a ? [a.fd] : []));
        expect(returned.sort((a, b) => a - b)).toEqual(given);
      }),
      { numRuns: 2000 },
    );
  });

  it('answers every accepted INIT, ADD_REGION and ADD_RING with exactly one ACK', () => {
    const master = new MasterHandshake(masterFor({ 5: { secret: 'pw' } }));
    master.start();
    const sends = (actions: HandshakeAction[]) => actions.filter((a) => a.kind === 'send').map((a) => a.kind === 'send' && a.msg.type);
    expect(sends(master.receive(validInit))).toEqual([MsgType.Ack]);
    expect(sends(master.receive({ type: MsgType.AddRegion, index: 0, size: 4096 }, 7))).toEqual([MsgType.Ack]);
    const ring = { type: MsgType.AddRing, index: 0, region: 0, offset: 0, log2RingSize: 10, privateHdrSize: 0 } as const;
    expect(sends(master.receive({ ...ring, flags: 1 }, 8))).toEqual([MsgType.Ack]);
    expect(sends(master.receive({ ...ring, flags: 0 }, 9))).toEqual([MsgType.Ack]);
    expect(master.receive({ type: MsgType.Connect, ifName: 'net_memif0' })).toEqual([
      { kind: 'verify', peerIfName: 'net_memif0', regions: [{ index: 0, size: 4096 }], rings: master.rings },
    ]);
    expect(sends(master.confirmConnected())).toEqual([MsgType.Connected]);
    expect(master.state).toBe('connected');
  });

  it.each<[string, Msg[], Array<number | undefined>, string]>([
    ['a first message other than INIT', [{ type: MsgType.Connect, ifName: '' }], [undefined], DisconnectReason.UnexpectedMessage],
    ['a wrong version', [{ ...validInit, version: 0x100 } as Msg], [undefined], DisconnectReason.IncompatibleVersion],
    [
      'ADD_REGION without an fd',
      [validInit, { type: MsgType.AddRegion, index: 0, size: 1 }],
      [undefined, undefined],
      DisconnectReason.MissingRegionFd,
    ],
    [
      'ADD_REGION out of order',
      [validInit, { type: MsgType.AddRegion, index: 1, size: 1 }],
      [undefined, 4],
      DisconnectReason.InvalidRegionIndex,
    ],
    [
      'ADD_RING without an fd',
      [
        validInit,
        { type: MsgType.AddRegion, index: 0, size: 1 },
        { type: MsgType.AddRing, flags: 1, index: 0, region: 0, offset: 0, log2RingSize: 10, privateHdrSize: 0 },
      ],
      [undefined, 4, undefined],
      DisconnectReason.MissingInterruptFd,
    ],
    [
      'a private header',
      [
        validInit,
        { type: MsgType.AddRegion, index: 0, size: 1 },
        { type: MsgType.AddRing, flags: 1, index: 0, region: 0, offset: 0, log2RingSize: 10, privateHdrSize: 8 },
      ],
      [undefined, 4, 5],
      DisconnectReason.PrivateHeadersNotSupported,
    ],
    [
      'log2 ring size 16',
      [
        validInit,
        { type: MsgType.AddRegion, index: 0, size: 1 },
        { type: MsgType.AddRing, flags: 1, index: 0, region: 0, offset: 0, log2RingSize: 16, privateHdrSize: 0 },
      ],
      [undefined, 4, 5],
      DisconnectReason.InvalidRingSize,
    ],
    [
      'a ring in an unknown region',
      [
        validInit,
        { type: MsgType.AddRegion, index: 0, size: 1 },
        { type: MsgType.AddRing, flags: 1, index: 0, region: 1, offset: 0, log2RingSize: 10, privateHdrSize: 0 },
      ],
      [undefined, 4, 5],
      DisconnectReason.InvalidRingRegion,
    ],
    [
      'CONNECT with no M2S ring',
      [
        validInit,
        { type: MsgType.AddRegion, index: 0, size: 1 },
        { type: MsgType.AddRing, flags: 1, index: 0, region: 0, offset: 0, log2RingSize: 10, privateHdrSize: 0 },
        { type: MsgType.Connect, ifName: '' },
      ],
      [undefined, 4, 5, undefined],
      DisconnectReason.MissingRing,
    ],
    ['a second INIT', [validInit, validInit], [undefined, undefined], DisconnectReason.UnexpectedMessage],
  ])('refuses %s', (_, msgs, fds, reason) => {
    const master = new MasterHandshake(masterFor({ 5: { secret: 'pw' } }));
    master.start();
    const actions = msgs.flatMap((msg, i) => master.receive(msg, fds[i]));
    expect(actions.at(-2)).toEqual({ kind: 'send', msg: { type: MsgType.Disconnect, code: 0, reason } });
    expect(actions.at(-1)).toEqual({ kind: 'closed', reason, by: 'local' });
    expect(master.state).toBe('closed');
    expect(master.receive({ type: MsgType.Ack })).toEqual([]);
  });
});

describe('teardown', () => {
  it('stores the remote reason of a DISCONNECT and sends nothing back', () => {
    const slave = new SlaveHandshake(slaveDefaults);
    expect(slave.receive({ type: MsgType.Disconnect, code: 0, reason: 'ID not found' })).toEqual([
      { kind: 'closed', reason: 'ID not found', by: 'remote' },
    ]);
    expect(slave.closeReason).toBe('ID not found');
  });

  it('maps undecodable datagrams to the reasons peers send', () => {
    const size = new ProtocolError('ERR_MEMIF_MSG_SIZE', 'x');
    const type = new ProtocolError('ERR_MEMIF_MSG_TYPE', 'x');
    expect(new SlaveHandshake(slaveDefaults).malformed(size)[0]).toMatchObject({ msg: { reason: 'Invalid message size' } });
    expect(new SlaveHandshake(slaveDefaults).malformed(type)[0]).toMatchObject({ msg: { reason: 'Unknown message type' } });
    expect(new SlaveHandshake(slaveDefaults).malformed(new Error('other'))[0]).toMatchObject({ msg: { reason: 'Malformed message' } });
  });

  it('cuts a long local reason to 95 bytes on the wire but keeps it whole locally', () => {
    const reason = 'é'.repeat(60);
    const actions = new SlaveHandshake(slaveDefaults).disconnect(reason);
    const sent = actions[0];
    expect(sent?.kind === 'send' && sent.msg.type === MsgType.Disconnect && sent.msg.reason).toBe('é'.repeat(47));
    expect(actions[1]).toEqual({ kind: 'closed', reason, by: 'local' });
  });

  it('closes quietly on end of file', () => {
    const master = new MasterHandshake(masterFor({}));
    master.start();
    expect(master.peerClosed()).toEqual([{ kind: 'closed', reason: 'Connection closed by peer', by: 'remote' }]);
    expect(master.peerClosed()).toEqual([]);
  });

  it('refuses a slave HELLO with an incompatible version range', () => {
    const slave = new SlaveHandshake(slaveDefaults);
    const hello = {
      type: MsgType.Hello,
      name: 'x',
      minVersion: 0x300,
      maxVersion: 0x300,
      maxRegion: 255,
      maxM2sRing: 255,
      maxS2mRing: 255,
      maxLog2RingSize: 14,
    } as const;
    expect(slave.receive(hello).at(-1)).toEqual({ kind: 'closed', reason: DisconnectReason.IncompatibleVersion, by: 'local' });
  });
});

describe('configuration errors', () => {
  it('name the option and the allowed range', () => {
    const bad: Array<[Partial<SlaveHandshakeOptions>, string]> = [
      [{ secret: 's'.repeat(24) }, 'secret'],
      [{ appName: 'a'.repeat(32) }, 'appName'],
      [{ id: -1 }, 'id'],
      [{ log2RingSize: 15 }, 'log2RingSize'],
      [{ numS2mRings: 0 }, 'numS2mRings'],
      [{ mode: 3 as InterfaceMode }, 'mode'],
    ];
    for (const [patch, field] of bad) {
      try {
        new SlaveHandshake({ ...slaveDefaults, ...patch });
        expect.unreachable(`${field} should be refused`);
      } catch (error) {
        expect(ProtocolError.isInstance(error)).toBe(true);
        expect((error as ProtocolError).field).toBe(field);
      }
    }
  });

  it('refuses calls made in the wrong state', () => {
    const slave = new SlaveHandshake(slaveDefaults);
    expect(() => slave.prepared({ regions: [], rings: [] })).toThrow(/valid in state 'preparing'/);
    const master = new MasterHandshake(masterFor({}));
    expect(() => master.confirmConnected()).toThrow(/valid in state 'verifying'/);
  });
});
