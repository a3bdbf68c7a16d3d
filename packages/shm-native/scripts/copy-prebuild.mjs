// Copies build/Release/shm_native.node to prebuilds/<platform>-<arch>/node.napi.node (the
// prebuildify layout the loader and node-gyp-build read) so the packed tarball ships the
// binary. Run by `prepack`; `postpack` removes the copy so local builds are not shadowed.
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const prebuilds = join(packageRoot, 'prebuilds');

if (process.argv[2] === '--clean') {
  rmSync(prebuilds, { recursive: true, force: true });
} else {
  const built = join(packageRoot, 'build', 'Release', 'shm_native.node');
  if (!existsSync(built)) {
    console.error(`${built} is missing: run \`pnpm --filter @memif/shm-native build:native\``);
    process.exit(1);
  }
  const target = join(prebuilds, `${process.platform}-${process.arch}`);
  mkdirSync(target, { recursive: true });
  copyFileSync(built, join(target, 'node.napi.node'));
}
