// `build:native`: compiles the addon for every Linux architecture we ship, as prebuilds
// (prebuilds/linux-<arch>/node.napi.glibc.node, the prebuildify layout), linked for the glibc
// baseline (binding.gyp `portable`). The other architecture is cross-compiled with Debian's
// g++-<triplet> when it is installed. The host build is done last, so build/Release also holds
// it for local use. Always compiles, even when prebuilds are present; never downloads.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodedirArgs } from './node-gyp-invocation.mjs';
import { PREBUILD_TARGETS, prebuildPath } from './prebuild-targets.mjs';

const packageRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const nodeGyp = createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');

function hasCommand(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function build(target, compilers) {
  const result = spawnSync(process.execPath, [nodeGyp, 'rebuild', '--jobs=max', `--arch=${target.arch}`, ...nodedirArgs()], {
    cwd: packageRoot,
    stdio: 'inherit',
    env: { ...process.env, ...compilers, SHM_NATIVE_FORCE_BUILD: '1', SHM_NATIVE_PREBUILD: '1' },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
  const out = prebuildPath(packageRoot, target.arch);
  rmSync(dirname(out), { recursive: true, force: true });
  mkdirSync(dirname(out), { recursive: true });
  copyFileSync(join(packageRoot, 'build', 'Release', 'shm_native.node'), out);
}

const host = PREBUILD_TARGETS.find((target) => target.arch === process.arch);
if (process.platform !== 'linux' || host === undefined) {
  console.error(`build:native builds Linux prebuilds on x64 or arm64 Linux, not ${process.platform}-${process.arch}`);
  process.exit(1);
}
for (const target of PREBUILD_TARGETS) {
  if (target === host) continue;
  const cxx = `${target.triplet}-g++`;
  if (!hasCommand(cxx)) {
    console.warn(
      `build:native: ${cxx} not found, no linux-${target.arch} prebuild (apt-get install g++-${target.triplet}); packing will refuse`,
    );
    continue;
  }
  build(target, { CC: `${target.triplet}-gcc`, CXX: cxx });
}
build(host, {});
