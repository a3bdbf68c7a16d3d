import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Which DPDK the interop tests run against: the host's `dpdk-testpmd`, or the one inside a Debian
 * root (`scripts/ensure-dpdk-root.sh`) named by `MEMIF_TEST_DPDK_ROOT`. The version is read from
 * the peer itself (`MEMIF_TEST_DPDK_VERSION` when the test runner already read it), never assumed.
 */
export class DpdkPeer {
  /** The root directory testpmd runs in, or undefined for the host's own testpmd. */
  readonly root: string | undefined;
  #version: string | undefined;

  constructor(root: string | undefined, version?: string) {
    this.root = root === undefined || root === '' || root === '/' ? undefined : root.replace(/\/+$/, '');
    this.#version = version;
  }

  /** The peer the environment names (`MEMIF_TEST_DPDK_ROOT`, `MEMIF_TEST_DPDK_VERSION`). */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): DpdkPeer {
    const version = env.MEMIF_TEST_DPDK_VERSION;
    return new DpdkPeer(env.MEMIF_TEST_DPDK_ROOT, version === '' ? undefined : version);
  }

  /**
   * The program and leading arguments that start `dpdk-testpmd` line-buffered (its stdout is
   * block-buffered on a pipe). In a root: a private mount namespace gets its own /proc and /sys,
   * which vanish with the process, so no host directory is ever mounted into the root and nothing
   * under it is a mount once testpmd has exited (the root stays safe to delete). The process keeps
   * the pid we spawned (unshare, sh and chroot all exec).
   */
  get command(): string[] {
    const testpmd = ['stdbuf', '-oL', '-eL', 'dpdk-testpmd'];
    if (this.root === undefined) return testpmd;
    const script = 'root=$1; shift; mount -t proc proc "$root/proc" && mount -t sysfs sysfs "$root/sys" && exec chroot "$root" "$@"';
    return ['unshare', '--mount', '--propagation', 'private', '--', 'sh', '-c', script, 'dpdk-root', this.root, ...testpmd];
  }

  /** `22.11.11`-style version of this DPDK, read once by running testpmd with EAL's `-v`. */
  get version(): string {
    this.#version ??= this.#readVersion();
    return this.#version;
  }

  /** Whether this DPDK is at least `major.minor` (e.g. `atLeast(23, 3)`). */
  atLeast(major: number, minor: number): boolean {
    const [peerMajor = 0, peerMinor = 0] = this.version.split('.').map(Number);
    return peerMajor > major || (peerMajor === major && peerMinor >= minor);
  }

  /** A label for test names: `DPDK 24.11.8`. */
  get label(): string {
    return `DPDK ${this.version}`;
  }

  /** Where the host sees a path that testpmd sees as `peerPath`. */
  hostPath(peerPath: string): string {
    return this.root === undefined ? peerPath : join(this.root, peerPath);
  }

  /**
   * The path testpmd sees for a host path: filesystem sockets must lie inside the root (tests make
   * them under `os.tmpdir()`, which the per-peer test project points at `<root>/tmp`).
   */
  peerPath(hostPath: string): string {
    if (this.root === undefined) return hostPath;
    if (!hostPath.startsWith(`${this.root}/`)) {
      throw new Error(
        `dpdk-testpmd runs in the root ${this.root}, which cannot see ${hostPath}: make filesystem sockets under os.tmpdir() (TMPDIR=${this.root}/tmp)`,
      );
    }
    return hostPath.slice(this.root.length);
  }

  /** DPDK's runtime directory for `--file-prefix=filePrefix`, as the host sees it. */
  runtimeDir(filePrefix: string): string {
    // /var/run is a symlink to /run inside the root: resolving it on the host would leave the root.
    return this.root === undefined ? `/var/run/dpdk/${filePrefix}` : join(this.root, 'run/dpdk', filePrefix);
  }

  #readVersion(): string {
    if (this.root !== undefined && !existsSync(join(this.root, 'usr/bin/dpdk-testpmd'))) {
      throw new Error(`no dpdk-testpmd in ${this.root}: run scripts/ensure-dpdk-root.sh ${this.root}`);
    }
    const filePrefix = `memif-version-${process.pid}`;
    const [program = 'dpdk-testpmd', ...leading] = this.command;
    // EAL prints its version on stderr, testpmd its usage on stdout; both are wanted.
    const result = spawnSync(
      program,
      [...leading, '-v', '--no-huge', '-m', '64', '--no-pci', `--file-prefix=${filePrefix}`, '--', '--help'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 60_000,
      },
    );
    const output = `${result.stderr ?? ''}${result.stdout ?? ''}`;
    rmSync(this.runtimeDir(filePrefix), { recursive: true, force: true });
    const version = output.match(/RTE Version: 'DPDK ([0-9][^']*)'/)?.[1];
    if (version === undefined)
      throw new Error(`could not read the DPDK version from dpdk-testpmd -v; it printed:\n${output.slice(0, 2000)}`);
    return version;
  }
}
