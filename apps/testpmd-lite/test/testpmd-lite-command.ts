import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const appRoot = fileURLToPath(new URL('..', import.meta.url));
const tsxLoader = fileURLToPath(new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url));

/** How to run testpmd-lite from sources (tsx, with the tsconfig that maps @memif/* to sources). */
export const testpmdLite = {
  command: process.execPath,
  args: ['--import', tsxLoader, join(appRoot, 'src', 'main.ts')],
  env: { ...process.env, TSX_TSCONFIG_PATH: join(appRoot, 'tsconfig.json') },
};

let fakeBin: string | undefined;

/**
 * Runs `start` with a `dpdk-testpmd` on PATH that is testpmd-lite, so @memif/test-kit's `Testpmd`
 * driver (which spawns `stdbuf … dpdk-testpmd`) drives testpmd-lite unchanged: the drop-in test.
 * PATH is swapped only while `start` spawns, which happens synchronously.
 */
export function withTestpmdLiteAsDpdk<T>(start: () => T): T {
  if (fakeBin === undefined) {
    fakeBin = mkdtempSync(join(tmpdir(), 'testpmd-lite-bin-'));
    const script = join(fakeBin, 'dpdk-testpmd');
    const quoted = [testpmdLite.command, ...testpmdLite.args].map((word) => `'${word}'`).join(' ');
    writeFileSync(script, `#!/bin/sh\nTSX_TSCONFIG_PATH='${testpmdLite.env.TSX_TSCONFIG_PATH}' exec ${quoted} "$@"\n`);
    chmodSync(script, 0o755);
  }
  const path = process.env.PATH;
  process.env.PATH = `${fakeBin}:${path ?? ''}`;
  try {
    return start();
  } finally {
    process.env.PATH = path;
  }
}

/** Removes the fake `dpdk-testpmd` directory (call from afterAll). */
export function removeTestpmdLiteAsDpdk(): void {
  if (fakeBin !== undefined) rmSync(fakeBin, { recursive: true, force: true });
  fakeBin = undefined;
}
