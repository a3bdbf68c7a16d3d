// Who may connect: uid/gid allow-lists checked on SO_PEERCRED in both roles, and the listener
// socket file's owner and mode (the tests run as root, so chown to any id works).
import { statSync } from 'node:fs';
import { MsgType } from '@memif/protocol';
import { HostileMaster, HostileSlave, isSession } from '@memif/test-kit';
import { describe, expect, it } from 'vitest';
import { uniqueSocketPath, waitUntil } from '../helpers.ts';
import { iface, onCleanup, victimMaster } from './fixture.ts';

const uid = process.getuid?.() ?? 0;
const gid = process.getgid?.() ?? 0;

/** A slave connecting honestly to a victim master with `options`; the master's last word. */
async function handshakeWith(
  label: string,
  options: Parameters<typeof victimMaster>[1],
): Promise<{ master: ReturnType<typeof victimMaster>; reason: string | undefined }> {
  const master = victimMaster(label, { id: 1, ...options });
  const peer = await HostileSlave.connect({ path: master.socket });
  onCleanup(() => peer.close());
  await peer.readHello();
  peer.build();
  const last = await peer.sendLockStep(peer.outgoing({ id: 1 }), 2000);
  return { master, reason: last.kind === 'msg' && last.msg.type === MsgType.Disconnect ? last.msg.reason : undefined };
}

describe('peer credentials, master side', () => {
  it(`refuses a slave whose uid is not allowed, with "Peer uid ${uid} not allowed"`, async () => {
    const { master, reason } = await handshakeWith('uid', { allowedUids: [uid + 4242] });
    expect(reason).toBe(`Peer uid ${uid} not allowed`);
    await waitUntil(() => master.errors.length > 0, 2000, 'an error event');
    expect(master.errors[0]).toMatchObject({ code: 'ERR_MEMIF_PEER_NOT_ALLOWED' });
    expect(master.state).toBe('listening');
  });

  it('refuses a slave whose gid is not allowed', async () => {
    const { reason } = await handshakeWith('gid', { allowedGids: [gid + 4242] });
    expect(reason).toBe(`Peer gid ${gid} not allowed`);
  });

  it('accepts a slave whose uid and gid are listed', async () => {
    const master = victimMaster('uidok', { id: 1, allowedUids: [uid], allowedGids: [gid, 99] });
    const peer = await HostileSlave.connect({ path: master.socket });
    onCleanup(() => peer.close());
    await peer.handshake({ id: 1 });
    await waitUntil(() => master.connected, 2000, 'the master to connect');
  });
});

describe('peer credentials, slave side', () => {
  it('refuses a master whose uid is not allowed, and keeps trying', async () => {
    const socket = uniqueSocketPath('suid');
    const master = HostileMaster.listen({ path: socket });
    onCleanup(() => master.close());
    const slave = iface({ role: 'slave', id: 1, socket, socketAbstract: false, reconnectInterval: 50, allowedUids: [uid + 1] });
    const first = await master.serve({ timeoutMs: 2000 });
    expect(isSession(first)).toBe(false);
    if (!isSession(first)) {
      expect(first.ended.kind === 'msg' && first.ended.msg.type === MsgType.Disconnect && first.ended.msg.reason).toBe(
        `Peer uid ${uid} not allowed`,
      );
      first.control.close();
    }
    await waitUntil(() => slave.errors.some((e) => e.code === 'ERR_MEMIF_PEER_NOT_ALLOWED'), 2000, 'the refusal error');
    const second = await master.serve({ timeoutMs: 2000 });
    expect(isSession(second)).toBe(false);
    if (!isSession(second)) second.control.close();
    expect(slave.connected).toBe(false);
  });

  it('connects to a master whose uid is allowed', async () => {
    const socket = uniqueSocketPath('suidok');
    const master = HostileMaster.listen({ path: socket });
    onCleanup(() => master.close());
    const slave = iface({
      role: 'slave',
      id: 1,
      socket,
      socketAbstract: false,
      reconnectInterval: 50,
      allowedUids: [uid],
      allowedGids: [gid],
    });
    const session = await master.serve({ timeoutMs: 2000 });
    expect(isSession(session)).toBe(true);
    if (isSession(session)) onCleanup(() => session.close());
    await waitUntil(() => slave.connected, 2000, 'the slave to connect');
  });
});

describe('the listener socket file', () => {
  it('gets ownerUid, ownerGid and socketMode', () => {
    const master = victimMaster('owner', { ownerUid: 4242, ownerGid: 4343, socketMode: 0o660 });
    const stat = statSync(master.socket);
    expect(stat.isSocket()).toBe(true);
    expect(stat.uid).toBe(4242);
    expect(stat.gid).toBe(4343);
    expect(stat.mode & 0o777).toBe(0o660);
  });

  it('keeps the process umask and owner without them', () => {
    const master = victimMaster('noowner');
    const stat = statSync(master.socket);
    expect(stat.uid).toBe(uid);
    expect(stat.gid).toBe(gid);
  });
});
