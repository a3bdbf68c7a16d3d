// Names and reasons a peer chose reach testpmd-lite's output and NODE_DEBUG=memif's escaped: a slave
// may not clear the user's terminal, retitle it or fake lines.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InterfaceMode, MsgType } from '@memif/protocol';
import { HostileMaster, HostileSlave, type Outgoing, Testpmd } from '@memif/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { testpmdLiteCommand } from './testpmd-lite-command.ts';

const EVIL_NAME = '\x1b[2J\x1b]0;pwned\x07x';
const EVIL_REASON = 'bye\x1b[31m\r\nfake: line\x9b1m';
const cleanups: Array<() => unknown> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('testpmd-lite prints what a peer chose escaped', () => {
  it("in a refused slave's name and in a DISCONNECT reason, on its output and under NODE_DEBUG=memif", async () => {
    const socket = join(tmpdir(), `testpmd-lite-escape-${process.pid}.sock`);
    cleanups.push(() => rmSync(socket, { force: true }));
    const lite = await Testpmd.start({
      vdevs: [`net_memif0,role=server,id=0,socket=${socket},socket-abstract=no`],
      appArgs: ['--auto-start'],
      interactive: false,
      command: ['env', 'NODE_DEBUG=memif', ...testpmdLiteCommand.slice(1)],
    });
    cleanups.push(() => lite.stop());

    const refused = await HostileSlave.connect({ path: socket });
    cleanups.push(() => refused.close());
    await refused.readHello();
    refused.build();
    // Asks for our id in a mode we do not serve: refused, and the name is reported.
    const wrongMode = refused
      .outgoing({ id: 0, mode: InterfaceMode.Ip })
      .map((o): Outgoing => (o.msg.type === MsgType.Init ? { ...o, msg: { ...o.msg, name: EVIL_NAME } } : o));
    await refused.sendLockStep(wrongMode, 5000);
    await lite.waitFor(/refused slave/, 10_000);

    // As a client, refused by a master whose DISCONNECT reason is made to trick a terminal.
    const masterSocket = join(tmpdir(), `testpmd-lite-escape-m-${process.pid}.sock`);
    const master = HostileMaster.listen({ path: masterSocket });
    cleanups.push(() => master.close());
    const served = master.serve({
      answer: (msg) => (msg.type === MsgType.Init ? { send: [{ type: MsgType.Disconnect, code: 1, reason: EVIL_REASON }] } : 'honest'),
    });
    const client = await Testpmd.start({
      vdevs: [`net_memif1,role=client,id=0,socket=${masterSocket},socket-abstract=no`],
      appArgs: ['--auto-start'],
      interactive: false,
      command: ['env', 'NODE_DEBUG=memif', ...testpmdLiteCommand.slice(1)],
    });
    cleanups.push(() => client.stop());
    await served;
    await client.waitFor(/disconnected \(remote\): bye/, 10_000);

    expect(lite.output).toContain("refused slave '\\x1b[2J\\x1b]0;pwned\\x07x'");
    // A remote DISCONNECT reason reaches only the debug log (the CLI prints it too: its tests).
    expect(client.output).toContain('net_memif1 disconnected (remote): bye\\x1b[31m\\x0d\\x0afake: line\\x9b1m\n');
    for (const output of [lite.output, client.output]) expect(output).not.toMatch(/[\x1b\x07\x9b\r]/);
  }, 60_000);
});
