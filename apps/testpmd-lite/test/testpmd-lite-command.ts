import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const appRoot = fileURLToPath(new URL('..', import.meta.url));
const tsxLoader = fileURLToPath(new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url));
const tsconfig = join(appRoot, 'tsconfig.sources.json');

/** How to run testpmd-lite from sources (tsx, with the tsconfig that maps @memif/* to sources). */
export const testpmdLite = {
  command: process.execPath,
  args: ['--import', tsxLoader, join(appRoot, 'src', 'main.ts')],
  env: { ...process.env, TSX_TSCONFIG_PATH: tsconfig },
};

/**
 * The same, as the `command` of @memif/test-kit's `Testpmd`, which then drives testpmd-lite
 * exactly as it drives dpdk-testpmd: the drop-in test.
 */
export const testpmdLiteCommand: readonly string[] = ['env', `TSX_TSCONFIG_PATH=${tsconfig}`, testpmdLite.command, ...testpmdLite.args];
