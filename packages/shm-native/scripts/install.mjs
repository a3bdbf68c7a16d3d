// npm and pnpm run this when the package is installed or rebuilt (`npm rebuild`). It compiles
// only when no prebuild loads on this machine (another architecture, musl, a very old glibc),
// and SHM_NATIVE_FORCE_BUILD=1 compiles anyway. Off Linux it does nothing: the package still
// installs so that code and types can be written there; memif reports the platform at run time.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodedirArgs } from './node-gyp-invocation.mjs';

const packageRoot = dirname(dirname(fileURLToPath(import.meta.url)));

// A checkout of the repository (sources, no dist yet) builds with `build:native` instead.
const isCheckout = existsSync(join(packageRoot, 'src', 'index.ts'));
const force = process.env.SHM_NATIVE_FORCE_BUILD === '1';
if (isCheckout || process.platform !== 'linux') process.exit(0);

const { loadNative } = await import('../dist/index.js');
const loads = (path) => {
  try {
    loadNative({ packageRoot, path });
    return true;
  } catch {
    return false;
  }
};
if (!force && loads(undefined)) process.exit(0);

// npm and pnpm hand their bundled node-gyp to install scripts; a global one is the fallback.
const nodeGyp = process.env.npm_config_node_gyp;
const [command, ...prefix] = nodeGyp ? [process.execPath, nodeGyp] : ['node-gyp'];
console.error('@memif/shm-native: no prebuild loads here, compiling the addon from source');
const result = spawnSync(command, [...prefix, 'rebuild', '--jobs=max', ...nodedirArgs()], {
  cwd: packageRoot,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, SHM_NATIVE_FORCE_BUILD: '1', SHM_NATIVE_PREBUILD: '0' },
});
const built = join(packageRoot, 'build', 'Release', 'shm_native.node');
if (result.status === 0 && loads(built)) process.exit(0);
try {
  loadNative({ packageRoot, path: built });
} catch (error) {
  console.error(`\n@memif/shm-native: compiling from source failed.\n${error.message}`);
}
process.exit(1);
