import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { encodeMsg, MsgType, ProtocolError } from '@memif/protocol';
import { SeqpacketSocket } from '@memif/shm-native';
import { afterEach, describe, expect, it } from 'vitest';
import { ControlConnection } from './control-connection.ts';

let sockets = 0;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** A listening socket of this test's own, the connection to it and the accepted peer end. */
async function connected(): Promise<{ connection: ControlConnection; peer: SeqpacketSocket }> {
  const path = join(tmpdir(), `memif-cli-control-${process.pid}-${++sockets}.sock`);
  const listener = SeqpacketSocket.listen({ path });
  cleanups.push(() => {
    listener.close();
    rmSync(path, { force: true });
  });
  const connection = await ControlConnection.connect({ path }, 2000);
  cleanups.push(() => connection.close());
  let peer = listener.accept();
  for (let tries = 0; peer === null && tries < 100; tries++) {
    await delay(10);
    peer = listener.accept();
  }
  if (peer === null) throw new Error('the connection was not accepted');
  const accepted = peer;
  cleanups.push(() => accepted.close());
  return { connection, peer: accepted };
}

describe('ControlConnection', () => {
  it('hands over messages one at a time, then a timeout when the peer says nothing', async () => {
    const { connection, peer } = await connected();
    peer.trySend(encodeMsg({ type: MsgType.Ack }));
    peer.trySend(encodeMsg({ type: MsgType.Disconnect, code: 0, reason: 'bye' }));
    expect(await connection.receive(2000)).toEqual({ kind: 'message', msg: { type: MsgType.Ack } });
    expect(await connection.receive(2000)).toEqual({ kind: 'message', msg: { type: MsgType.Disconnect, code: 0, reason: 'bye' } });
    expect(await connection.receive(50)).toEqual({ kind: 'timeout' });
  });

  it('says eof when the peer closes, and again on every later call', async () => {
    const { connection, peer } = await connected();
    peer.close();
    expect(await connection.receive(2000)).toEqual({ kind: 'eof' });
    expect(await connection.receive(2000)).toEqual({ kind: 'eof' });
    expect(connection.send({ type: MsgType.Ack })).toBe(false);
  });

  it('throws the ProtocolError for a datagram that is not a memif message, short or oversized', async () => {
    const { connection, peer } = await connected();
    peer.trySend(new Uint8Array(10));
    peer.trySend(new Uint8Array(129));
    await expect(connection.receive(2000)).rejects.toSatisfy(
      (error) => ProtocolError.isInstance(error) && error.code === 'ERR_MEMIF_MSG_SIZE',
    );
    await expect(connection.receive(2000)).rejects.toSatisfy(
      (error) => ProtocolError.isInstance(error) && error.code === 'ERR_MEMIF_MSG_SIZE',
    );
  });

  it('refuses to connect where nothing listens, with the errno code', async () => {
    const path = join(tmpdir(), `memif-cli-control-${process.pid}-none.sock`);
    await expect(ControlConnection.connect({ path }, 500)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
