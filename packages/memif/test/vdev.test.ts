import { describe, expect, it } from 'vitest';
import { MemifError, parseVdev, resolveMemifOptions } from '../src/index.ts';

function devargsError(spec: string): MemifError {
  try {
    parseVdev(spec);
  } catch (error) {
    expect(MemifError.isInstance(error)).toBe(true);
    expect((error as MemifError).code).toBe('ERR_MEMIF_INVALID_DEVARGS');
    return error as MemifError;
  }
  throw new Error(`${spec} was accepted`);
}

describe('parseVdev', () => {
  it('reads the keys DPDK 22.11 knows', () => {
    const vdev = parseVdev(
      'net_memif0,role=server,id=7,bsize=1024,rsize=12,socket=/tmp/x.sock,socket-abstract=no,mac=02:fe:00:00:00:01,secret=pw,zero-copy=no',
    );
    expect(vdev).toEqual({
      name: 'net_memif0',
      options: {
        name: 'net_memif0',
        role: 'master',
        id: 7,
        bufferSize: 1024,
        log2RingSize: 12,
        socket: '/tmp/x.sock',
        socketAbstract: false,
        mac: '02:fe:00:00:00:01',
        secret: 'pw',
        zeroCopy: false,
      },
    });
  });

  it('gives DPDK 22.11 defaults for what is left out: a client on the abstract /run/memif.sock', () => {
    const config = resolveMemifOptions(parseVdev('net_memif').options);
    expect(config).toMatchObject({
      name: 'net_memif',
      role: 'slave',
      id: 0,
      bufferSize: 2048,
      log2RingSize: 10,
      socket: '/run/memif.sock',
      socketAbstract: true,
      secret: '',
      zeroCopy: false,
      rxQueues: 1,
      txQueues: 1,
      mode: 'ethernet',
    });
    expect(config.mac).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
    expect(Number.parseInt(config.mac.slice(0, 2), 16) & 0b11).toBe(0b10);
  });

  it('accepts both role spellings', () => {
    expect(parseVdev('net_memif1,role=client').options.role).toBe('slave');
    expect(parseVdev('net_memif1,role=slave').options.role).toBe('slave');
    expect(parseVdev('net_memif1,role=master').options.role).toBe('master');
  });

  it('accepts unsealed-regions=refuse|same-uid|accept and names the choices otherwise', () => {
    expect(parseVdev('net_memif0,role=server,unsealed-regions=refuse').options.unsealedRegions).toBe('refuse');
    expect(parseVdev('net_memif0,unsealed-regions=accept').options.unsealedRegions).toBe('accept');
    expect(() => parseVdev('net_memif0,unsealed-regions=yes')).toThrow(
      'net_memif0: Invalid unsealed-regions: yes (refuse, same-uid, accept).',
    );
  });

  it('accepts our extensions for mode, rx-mode and socket-mode', () => {
    expect(parseVdev('net_memif0,mode=ip,rx-mode=polling,socket-mode=0660').options).toMatchObject({
      mode: 'ip',
      rxMode: 'polling',
      socketMode: 0o660,
    });
  });

  it('accepts rx-mode=adaptive with adaptive-idle-us, our extension, and refuses bad values with the choices', () => {
    expect(parseVdev('net_memif0,rx-mode=adaptive,adaptive-idle-us=500').options).toMatchObject({
      rxMode: 'adaptive',
      adaptiveIdleMicroseconds: 500,
    });
    expect(resolveMemifOptions(parseVdev('net_memif0,rx-mode=adaptive').options).adaptiveIdleMicroseconds).toBe(200);
    expect(() => parseVdev('net_memif0,rx-mode=adaptive,adaptive-idle-us=fast')).toThrow(
      'net_memif0: Invalid adaptive-idle-us: fast (a decimal integer up to 1000000).',
    );
    expect(() => parseVdev('net_memif0,rx-mode=spin')).toThrow('net_memif0: Invalid rx-mode: spin (interrupt, polling or adaptive).');
    expect(() => resolveMemifOptions(parseVdev('net_memif0,adaptive-idle-us=500').options)).toThrow(
      /adaptiveIdleMicroseconds: applies only with rxMode: 'adaptive'/,
    );
  });

  it('accepts replace-stale-socket=yes|no, our extension for a server restarted after kill -9', () => {
    expect(parseVdev('net_memif0,role=server,replace-stale-socket=yes').options.replaceStaleSocket).toBe(true);
    expect(parseVdev('net_memif0,role=server,replace-stale-socket=no').options.replaceStaleSocket).toBe(false);
    expect(() => parseVdev('net_memif0,replace-stale-socket=1')).toThrow(/Invalid replace-stale-socket: 1 \(yes or no\)/);
    expect(() => resolveMemifOptions(parseVdev('net_memif0,role=client,replace-stale-socket=yes').options)).toThrow(
      /replaceStaleSocket: applies only to a master/,
    );
  });

  it.each([
    ['net_memif0,foo=1', /Unknown argument 'foo' \(valid: id, role, bsize, rsize, socket/],
    ['net_memif0,rsize=20', /Invalid ring size: 20 .*max 14/],
    ['net_memif0,rsize=0', /Invalid ring size: 0/],
    ['net_memif0,bsize=0', /Invalid buffer size: 0 \(64 to 65535\)/],
    ['net_memif0,bsize=65536', /Invalid buffer size: 65536/],
    ['net_memif0,role=bogus', /Unknown role: bogus/],
    ['net_memif0,mac=zz', /Failed to parse mac 'zz'/],
    ['net_memif0,id=-1', /Invalid id: -1/],
    ['net_memif0,id=4294967296', /Invalid id/],
    ['net_memif0,socket-abstract=maybe', /socket-abstract: maybe \(yes or no\)/],
    ['net_memif0,id', /needs a value/],
    ['net_memif0,id=1,id=2', /given twice/],
    ['net_tap0,id=1', /not a memif device/],
  ])('rejects %s', (spec, message) => {
    const error = devargsError(spec);
    expect(error.message).toMatch(message);
    if (spec.startsWith('net_memif')) expect(error.message.startsWith('net_memif0: ')).toBe(true);
  });
});

describe('resolveMemifOptions', () => {
  it.each([
    [{ id: 2 ** 32 }, 'id', /from 0 to 4294967295/],
    [{ role: 'primary' }, 'role', /master, slave, server, client/],
    [{ log2RingSize: 15 }, 'log2RingSize', /from 1 to 14/],
    [{ bufferSize: 32 }, 'bufferSize', /from 64 to 65535/],
    [{ secret: 'x'.repeat(24) }, 'secret', /at most 23 bytes/],
    [{ zeroCopy: true, role: 'server' }, 'zeroCopy', /slaves only/],
    [{ ownerUid: 0, role: 'master' }, 'ownerUid', /filesystem socket/],
    [{ socket: 'x'.repeat(108), socketAbstract: false }, 'socket', /at most 107/],
    [{ rxQueues: 0 }, 'rxQueues', /from 1 to 255/],
    [{ mode: 'tun' }, 'mode', /ethernet, ip, punt-inject/],
    [{ mac: '01:02:03' }, 'mac', /six hex bytes/],
    [{ sokcet: '/x' }, 'sokcet', /is not an option/],
  ])('refuses %j, naming %s and what is allowed', (options, option, message) => {
    try {
      resolveMemifOptions(options as never);
      expect.unreachable();
    } catch (error) {
      expect(MemifError.isInstance(error)).toBe(true);
      expect((error as MemifError).option).toBe(option);
      expect((error as MemifError).message).toMatch(message);
    }
  });

  it('maps server/client to master/slave', () => {
    expect(resolveMemifOptions({ role: 'server' }).role).toBe('master');
    expect(resolveMemifOptions({ role: 'client' }).role).toBe('slave');
  });
});
