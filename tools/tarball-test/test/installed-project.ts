import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const workspace = fileURLToPath(new URL('../../../', import.meta.url));

export interface Tarball {
  readonly name: string;
  readonly path: string;
  readonly bytes: number;
}

/** The workspace's published packages: every package under packages/ and apps/ not marked private. */
export function publishedPackageDirs(): string[] {
  return ['packages', 'apps'].flatMap((group) =>
    readdirSync(join(workspace, group))
      .map((name) => join(workspace, group, name))
      .filter((dir) => {
        try {
          return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private !== true;
        } catch {
          return false;
        }
      }),
  );
}

/** `pnpm pack` of every published package (prepack included, workspace ranges rewritten) into `destination`. */
export async function packAll(destination: string): Promise<Tarball[]> {
  mkdirSync(destination, { recursive: true });
  const tarballs: Tarball[] = [];
  for (const dir of publishedPackageDirs()) {
    const before = new Set(readdirSync(destination));
    await run('pnpm', ['pack', '--pack-destination', destination], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
    const file = readdirSync(destination).find((name) => !before.has(name) && name.endsWith('.tgz'));
    if (file === undefined) throw new Error(`pnpm pack in ${dir} wrote no tarball`);
    const name = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name as string;
    tarballs.push({ name, path: join(destination, file), bytes: statSync(join(destination, file)).size });
  }
  return tarballs;
}

/** What a user's project is: a directory outside the workspace with its own package.json. */
export interface InstalledProject {
  readonly dir: string;
  readonly tarballs: readonly Tarball[];
  /** npm's output of the install. */
  readonly installLog: string;
}

/**
 * Packs every package and installs all the tarballs with npm into a fresh project in the system
 * temp dir, as a user would (`npm install <tarballs>`); the fixtures are copied beside it.
 * Only the registry's packages come from the network, and from npm's cache when it has them.
 */
export async function installFromTarballs(): Promise<InstalledProject> {
  const root = mkdtempSync(join(tmpdir(), 'memif-tarballs-'));
  const tarballs = await packAll(join(root, 'tarballs'));
  const dir = join(root, 'app');
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'memif-user-app', private: true }, null, 2)}\n`);
  cpSync(fileURLToPath(new URL('../fixtures', import.meta.url)), dir, { recursive: true });
  const { stdout, stderr } = await run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--foreground-scripts', ...tarballs.map((t) => t.path)],
    { cwd: dir, maxBuffer: 16 * 1024 * 1024 },
  );
  return { dir, tarballs, installLog: stdout + stderr };
}

/** `tar -tzf`: the files a tarball holds, without the `package/` prefix. */
export async function tarballFiles(tarball: Tarball): Promise<string[]> {
  const { stdout } = await run('tar', ['-tzf', tarball.path], { maxBuffer: 16 * 1024 * 1024 });
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.replace(/^package\//, ''));
}

export function describeSizes(tarballs: readonly Tarball[]): string {
  return tarballs.map((t) => `${basename(t.path)}: ${(t.bytes / 1024).toFixed(1)} KiB`).join('\n');
}
