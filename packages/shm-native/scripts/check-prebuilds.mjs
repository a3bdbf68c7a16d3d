// `prepack`: a tarball without a prebuild for every architecture would make some users compile
// (or fail), so packing stops instead.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PREBUILD_TARGETS, prebuildPath } from './prebuild-targets.mjs';

const packageRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const missing = PREBUILD_TARGETS.map((target) => prebuildPath(packageRoot, target.arch)).filter((path) => !existsSync(path));
if (missing.length > 0) {
  console.error(
    [
      'Refusing to pack @memif/shm-native without every prebuild. Missing:',
      ...missing.map((path) => `  - ${path}`),
      'Run `pnpm --filter @memif/shm-native build:native` with g++-aarch64-linux-gnu (or',
      'g++-x86-64-linux-gnu on arm64) installed.',
    ].join('\n'),
  );
  process.exit(1);
}
