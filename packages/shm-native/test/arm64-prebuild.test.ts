import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/**
 * Debian's arm64 nodejs with its libraries, unpacked by scripts/ensure-tools.sh
 * (ensure_arm64_node); qemu-user runs it on this x64 machine.
 */
const arm64Root = process.env.MEMIF_ARM64_ROOT ?? '/var/cache/memif-node/arm64-bookworm';

describe('the linux-arm64 prebuild', () => {
  it('loads in Debian arm64 Node under qemu-user and does real syscalls', { timeout: 120_000 }, async () => {
    const node = join(arm64Root, 'usr', 'bin', 'node');
    expect(existsSync(node), `${node} is missing: run \`. scripts/ensure-tools.sh && ensure_release_tools\``).toBe(true);
    const { stdout } = await run(
      'qemu-aarch64-static',
      ['-L', arm64Root, node, fileURLToPath(new URL('./fixtures/prebuild-smoke.mjs', import.meta.url))],
      { timeout: 110_000 },
    );
    expect(JSON.parse(stdout)).toEqual({ arch: 'arm64', size: 1 << 20, firstByte: 0xab, sealed: true, counter: 3 });
  });
});
