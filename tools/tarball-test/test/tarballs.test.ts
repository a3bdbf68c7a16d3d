import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Testpmd } from '@memif/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeSizes, type InstalledProject, installFromTarballs, tarballFiles } from './installed-project.ts';

const run = promisify(execFile);

describe('the packages as users get them: packed, installed with npm, run outside the workspace', () => {
  let project: InstalledProject;
  const sockets: string[] = [];

  beforeAll(async () => {
    project = await installFromTarballs();
    console.log(`tarball sizes:\n${describeSizes(project.tarballs)}`);
  });
  afterAll(() => {
    for (const socket of sockets) rmSync(socket, { force: true });
    if (project !== undefined) rmSync(join(project.dir, '..'), { recursive: true, force: true });
  });

  const node = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    run(process.execPath, args, { cwd: project.dir, timeout: 60_000, env: { ...process.env, ...env } });
  const bin = (name: string) => join(project.dir, 'node_modules', '.bin', name);
  const shmNative = () => join(project.dir, 'node_modules', '@memif', 'shm-native');
  const uniqueSocket = (label: string) => {
    const socket = join(tmpdir(), `memif-tarball-${label}-${process.pid}-${randomBytes(4).toString('hex')}.sock`);
    sockets.push(socket);
    return socket;
  };

  it('packs every published package with its LICENSE and README, and no tests or build logs', async () => {
    expect(project.tarballs.map((t) => t.name).sort()).toEqual([
      '@memif/cli',
      '@memif/frame',
      '@memif/memif',
      '@memif/protocol',
      '@memif/ring',
      '@memif/shm-native',
      'testpmd-lite',
    ]);
    for (const tarball of project.tarballs) {
      const files = await tarballFiles(tarball);
      expect(files, tarball.name).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json']));
      expect(
        files.filter((file) => /(^|\/)(test|\.turbo|node_modules)\/|\.test\.[cm]?[jt]s$|\.ts$/.test(file) && !file.endsWith('.d.ts')),
        tarball.name,
      ).toEqual([]);
      expect(readFileSync(join(project.dir, 'node_modules', tarball.name, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    }
  });

  it('ships shm-native with a prebuild per architecture and what a source build needs', async () => {
    const files = await tarballFiles(project.tarballs.find((t) => t.name === '@memif/shm-native')!);
    expect(files).toEqual(
      expect.arrayContaining([
        'prebuilds/linux-x64/node.napi.glibc.node',
        'prebuilds/linux-arm64/node.napi.glibc.node',
        'binding.gyp',
        'scripts/install.mjs',
        'src/native/addon.cc',
      ]),
    );
  });

  it('rewrites internal dependencies to ranges of the packed versions', () => {
    const versions = new Map(
      project.tarballs.map((t) => [
        t.name,
        JSON.parse(readFileSync(join(project.dir, 'node_modules', t.name, 'package.json'), 'utf8')).version,
      ]),
    );
    for (const tarball of project.tarballs) {
      const manifest = JSON.parse(readFileSync(join(project.dir, 'node_modules', tarball.name, 'package.json'), 'utf8'));
      for (const [dependency, range] of Object.entries<string>(manifest.dependencies ?? {})) {
        if (versions.has(dependency))
          expect(`${tarball.name} -> ${dependency}@${range}`).toBe(`${tarball.name} -> ${dependency}@^${versions.get(dependency)}`);
      }
    }
  });

  it('installs without compiling: the prebuild for this machine loads', () => {
    expect(project.installLog).not.toContain('compiling the addon from source');
    expect(existsSync(join(shmNative(), 'build'))).toBe(false);
  });

  it('runs a codec-only script as ESM and as CommonJS', async () => {
    for (const [script, ifName] of [
      ['codec.mjs', 'esm0'],
      ['codec.cjs', 'cjs0'],
    ]) {
      const { stdout } = await node([script!]);
      expect(JSON.parse(stdout)).toEqual({ size: true, ifName, got: 1, length: 600 });
    }
  });

  it('echoes frames through dpdk-testpmd with the whole installed stack', async () => {
    const socket = uniqueSocket('echo');
    const testpmd = await Testpmd.start({
      vdevs: [`net_memif0,role=server,id=0,socket=${socket},socket-abstract=no`],
      appArgs: ['--forward-mode=macswap', '--auto-start'],
    });
    try {
      const { stdout } = await node(['echo.mjs', socket, '16']);
      expect(JSON.parse(stdout)).toEqual({ sent: 16, matched: 16, peerName: expect.any(String) });
    } finally {
      await testpmd.stop();
    }
  });

  it('runs the installed bins: memif ping answered by testpmd-lite in icmpecho mode', async () => {
    const socket = uniqueSocket('ping');
    const lite = await Testpmd.start({
      command: [bin('testpmd-lite')],
      vdevs: [`net_memif0,role=server,id=0,socket=${socket},socket-abstract=no`],
      appArgs: ['--forward-mode=icmpecho', '--auto-start'],
    });
    try {
      const { stdout } = await run(
        bin('memif'),
        [
          'ping',
          '--vdev',
          `net_memif0,role=client,socket=${socket},socket-abstract=no`,
          '--ip',
          '192.168.1.1/24',
          '-c',
          '3',
          '-i',
          '0.2',
          '192.168.1.2',
        ],
        { cwd: project.dir, timeout: 60_000 },
      );
      expect(stdout).toMatch(/^3 packets transmitted, 3 received, 0% packet loss/m);
    } finally {
      await lite.stop();
    }
  });

  it('off Linux, installs without building and createInterface says the OS is unsupported', async () => {
    await node(['--import', './pretend-darwin.mjs', join(shmNative(), 'scripts', 'install.mjs')], { SHM_NATIVE_FORCE_BUILD: '1' });
    expect(existsSync(join(shmNative(), 'build'))).toBe(false);
    const { stdout } = await node([
      '--import',
      './pretend-darwin.mjs',
      '--input-type=module',
      '-e',
      "import { createInterface } from '@memif/memif'; try { await createInterface().close(); console.log('created'); } catch (e) { console.log(e.code, e.message); }",
    ]);
    expect(stdout).toMatch(/^ERR_MEMIF_UNSUPPORTED_PLATFORM memif interfaces need Linux .* this is darwin\./);
  });

  describe('without a prebuild for the machine (another arch, musl): npm rebuild compiles from source', () => {
    beforeAll(() => rmSync(join(shmNative(), 'prebuilds'), { recursive: true }));

    it('says exactly what to install when there is no compiler', async () => {
      const failed = await run('npm', ['rebuild', '@memif/shm-native', '--foreground-scripts'], {
        cwd: project.dir,
        timeout: 120_000,
        env: { ...process.env, CC: '/nonexistent/cc', CXX: '/nonexistent/c++' },
      }).then(
        () => undefined,
        (error: { stdout: string; stderr: string }) => error.stdout + error.stderr,
      );
      expect(failed).toContain('compiling from source failed');
      expect(failed).toContain('apt-get install g++ make python3');
      expect(failed).toContain('npm rebuild @memif/shm-native');
    });

    it('compiles with the compiler there, and the built addon works', { timeout: 400_000 }, async () => {
      await run('npm', ['rebuild', '@memif/shm-native', '--foreground-scripts'], { cwd: project.dir, timeout: 380_000 });
      expect(existsSync(join(shmNative(), 'build', 'Release', 'shm_native.node'))).toBe(true);
      const { stdout } = await node([
        '--input-type=module',
        '-e',
        "import { EventFd } from '@memif/shm-native'; const e = EventFd.create(); e.write(5); console.log(e.read()); e.close();",
      ]);
      expect(stdout.trim()).toBe('5');
    });
  });
});
