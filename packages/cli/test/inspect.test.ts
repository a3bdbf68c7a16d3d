import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from '@memif/memif';
import { MsgType } from '@memif/protocol';
import { DpdkPeer, HostileMaster, isSession, Testpmd } from '@memif/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeSocket, runCli, uniqueSocketPath } from './cli-process.ts';

describe(`memif inspect against a ${DpdkPeer.fromEnv().label} testpmd server`, { timeout: 60_000 }, () => {
  const socket = uniqueSocketPath('inspect-testpmd');
  let testpmd: Testpmd;
  beforeAll(async () => {
    testpmd = await Testpmd.start({
      vdevs: [`net_memif0,role=server,id=3,secret=opensesame,socket=${socket},socket-abstract=no`],
      appArgs: ['--forward-mode=rxonly', '--auto-start'],
    });
  }, 60_000);
  afterAll(async () => {
    await testpmd?.stop();
    removeSocket(socket);
  });

  it('shows the HELLO fields', async () => {
    const result = await runCli(['inspect', socket]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`socket              ${socket} (filesystem)`);
    expect(result.stdout).toContain(`name                DPDK ${testpmd.version}\n`);
    expect(result.stdout).toContain('version             2.0 to 2.0 (compatible with our 2.0)');
    expect(result.stdout).toContain('max region index    255');
    expect(result.stdout).toContain('max m2s ring index  255');
    expect(result.stdout).toContain('max s2m ring index  255');
    expect(result.stdout).toContain('max log2 ring size  14');
  });

  it('prints JSON for machines', async () => {
    const result = await runCli(['inspect', socket, '--json', '--id', '3', '--secret', 'opensesame']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      socket,
      abstract: false,
      hello: {
        name: `DPDK ${testpmd.version}`,
        minVersion: 0x200,
        maxVersion: 0x200,
        maxRegion: 255,
        maxM2sRing: 255,
        maxS2mRing: 255,
        maxLog2RingSize: 14,
        versionSupported: true,
      },
      init: { id: 3, mode: 'ethernet', secretGiven: true, accepted: true },
    });
  });

  it('gives the exact refusal reason: ID not found, Secret required, Incorrect secret, mode', async () => {
    const cases: Array<[string[], string]> = [
      [['--id', '0'], 'ID not found'],
      [['--id', '3'], 'Secret required'],
      [['--id', '3', '--secret', 'guess'], 'Incorrect secret'],
      [['--id', '3', '--secret', 'opensesame', '--mode', 'ip'], 'Only ethernet mode supported'],
    ];
    for (const [flags, reason] of cases) {
      const result = await runCli(['inspect', socket, ...flags]);
      expect(result.code, flags.join(' ')).toBe(1);
      expect(result.stdout).toMatch(new RegExp(`^init {16}REFUSED \\(id \\d+, mode \\w+, .*\\): ${reason}$`, 'm'));
    }
  });

  it('says nothing listens, with the abstract/filesystem hint', async () => {
    const abstract = await runCli(['inspect', `@${socket}`]);
    expect(abstract.code).toBe(1);
    expect(abstract.stderr).toContain(`memif inspect: connect ECONNREFUSED @${socket}`);
    expect(abstract.stderr).toMatch(/^hint: .*if the server uses socket-abstract=no, give the path without @/m);
    expect(abstract.stdout).not.toContain('ECONNREFUSED');
    const missing = await runCli(['inspect', `${socket}.missing`, '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout).error).toMatchObject({
      code: 'ENOENT',
      hint: expect.stringContaining("DPDK's default is the abstract name /run/memif.sock"),
    });
  });
});

describe('memif inspect against a Node master', { timeout: 30_000 }, () => {
  it('reads HELLO and learns the verdicts of createInterface masters', async () => {
    const socket = uniqueSocketPath('inspect-node');
    const master = createInterface({ role: 'server', id: 4, socket, socketAbstract: false, secret: 'tea', appName: 'inspect-test' });
    master.on('error', () => {});
    try {
      const hello = await runCli(['inspect', socket]);
      expect(hello.code).toBe(0);
      expect(hello.stdout).toContain('name                inspect-test');
      const wrongId = await runCli(['inspect', socket, '--id', '5', '--secret', 'tea']);
      expect(wrongId.stdout).toMatch(/REFUSED .*: ID not found$/m);
      expect(wrongId.code).toBe(1);
      const wrongSecret = await runCli(['inspect', socket, '--id', '4', '--secret', 'coffee']);
      expect(wrongSecret.stdout).toMatch(/REFUSED .*: Incorrect secret$/m);
      const accepted = await runCli(['inspect', socket, '--id', '4', '--secret', 'tea']);
      expect(accepted.stdout).toContain('init                accepted (id 4, mode ethernet, with a secret)');
      expect(accepted.code).toBe(0);
    } finally {
      await master.close();
      removeSocket(socket);
    }
  });
});

describe('memif inspect sends a master only what it can take', { timeout: 30_000 }, () => {
  // libmemif 4.0 dereferences a NULL connection on a DISCONNECT before INIT: without --id,
  // inspect must just close after HELLO; with an accepted INIT it says goodbye with DISCONNECT.
  it.each([
    ['without --id: nothing after HELLO, just a close', [] as string[], { kind: 'eof' }],
    [
      'after an accepted INIT: DISCONNECT "inspect done"',
      ['--id', '0'],
      { kind: 'msg', msg: { type: MsgType.Disconnect, reason: 'inspect done' } },
    ],
  ] as const)('%s', async (_, flags, ending) => {
    const socket = uniqueSocketPath('inspect-fake');
    const master = HostileMaster.listen({ path: socket });
    try {
      const received: MsgType[] = [];
      const served = master.serve({
        timeoutMs: 20_000,
        answer: (msg) => {
          received.push(msg.type);
          return 'honest';
        },
      });
      const result = await runCli(['inspect', socket, ...flags]);
      expect(result.code).toBe(0);
      const outcome = await served;
      if (isSession(outcome)) throw new Error('inspect connected a session');
      expect(outcome.ended).toMatchObject(ending);
      expect(received).toEqual(flags.length === 0 ? [] : [MsgType.Init]);
      outcome.control.close();
    } finally {
      master.close();
    }
  });

  it('reports an ACK followed at once by a close (libmemif 4.0 on an unknown id) as a refusal', async () => {
    const socket = uniqueSocketPath('inspect-silent-refusal');
    const master = HostileMaster.listen({ path: socket });
    try {
      const served = master.serve({
        timeoutMs: 20_000,
        answer: (msg) => (msg.type === MsgType.Init ? { send: [{ type: MsgType.Ack }], thenHangUp: true } : 'honest'),
      });
      const result = await runCli(['inspect', socket, '--id', '5']);
      expect(result.stdout).toMatch(
        /^init {16}REFUSED \(id 5, mode ethernet, no secret\): the master ACKed INIT, then closed the connection without a reason: most likely it has no interface with id 5$/m,
      );
      expect(result.code).toBe(1);
      const outcome = await served;
      if (!isSession(outcome)) outcome.control.close();
    } finally {
      master.close();
    }
  });

  it('says in its help what it sends', async () => {
    const help = await runCli(['inspect', '--help']);
    expect(help.stdout).toMatch(/Without --id.*no message at all/s);
    expect(help.stdout).not.toContain('Leaves with DISCONNECT');
  });
});

describe('memif inspect of a path that is not a socket', { timeout: 30_000 }, () => {
  it.each([
    ['a regular file', (path: string) => writeFileSync(path, 'not a socket')],
    ['a directory', (path: string) => mkdirSync(path)],
  ])('says the path is %s, on stderr, and exits with 1', async (what, create) => {
    const path = uniqueSocketPath('inspect-not-socket');
    create(path);
    try {
      const text = await runCli(['inspect', path]);
      expect(text.code).toBe(1);
      expect(text.stderr).toContain(`memif inspect: ${path} is not a socket but ${what}`);
      expect(text.stderr).toMatch(/^hint: a memif server creates its socket file when it starts/m);
      expect(text.stderr).not.toContain('ECONNREFUSED');
      const json = await runCli(['inspect', path, '--json']);
      expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'ENOTSOCK' });
    } finally {
      rmSync(path, { recursive: true, force: true });
    }
  });
});
