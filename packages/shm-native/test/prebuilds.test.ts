import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PREBUILD_TARGETS, prebuildPath } from '../scripts/prebuild-targets.mjs';

const packageRoot = dirname(dirname(fileURLToPath(import.meta.url)));

/**
 * The oldest glibc the prebuilds load on: 2.17 (RHEL/CentOS 7, Amazon Linux 2, the manylinux2014
 * floor; aarch64 glibc starts there). Stricter than the 2.28 the issue asked for, because the
 * linker flags in binding.gyp reach it and Amazon Linux 2 (glibc 2.26) is a common Node host.
 */
const GLIBC_BASELINE = [2, 17] as const;
const MACHINE: Record<string, string> = { x64: 'Advanced Micro Devices X86-64', arm64: 'AArch64' };

function readelf(...args: string[]): string {
  return execFileSync('readelf', ['-W', ...args], { encoding: 'utf8' });
}

function versionsNeeded(path: string): { glibc: string[]; other: string[] } {
  const versions = new Set([...readelf('--dyn-syms', path).matchAll(/ UND \S+@([A-Z_]+[0-9._]*) /g)].map((match) => match[1]!));
  const glibc = [...versions].filter((version) => version.startsWith('GLIBC_'));
  return { glibc, other: [...versions].filter((version) => !version.startsWith('GLIBC_')) };
}

function newerThanBaseline(version: string): boolean {
  const [major = 0, minor = 0] = version.replace('GLIBC_', '').split('.').map(Number);
  return major > GLIBC_BASELINE[0] || (major === GLIBC_BASELINE[0] && minor > GLIBC_BASELINE[1]);
}

describe.each(PREBUILD_TARGETS)('the linux-$arch prebuild', ({ arch }) => {
  const path = prebuildPath(packageRoot, arch);

  it('exists after build:native, for the right machine', () => {
    expect(existsSync(path), `${path}: run build:native with g++-aarch64-linux-gnu installed`).toBe(true);
    expect(readelf('-h', path)).toContain(`Machine:                           ${MACHINE[arch]}`);
  });

  it(`needs no glibc symbol version newer than ${GLIBC_BASELINE.join('.')}`, () => {
    const { glibc } = versionsNeeded(path);
    expect(glibc.length).toBeGreaterThan(0);
    expect(glibc.filter(newerThanBaseline)).toEqual([]);
  });

  it('links no libstdc++, only libc, the dynamic loader and libgcc_s', () => {
    const needed = [...readelf('-d', path).matchAll(/\(NEEDED\)\s+Shared library: \[(.+)\]/g)].map((match) => match[1]);
    expect(needed.filter((name) => !/^(libc\.so\.6|ld-linux-[\w-]+\.so\.\d|libgcc_s\.so\.1)$/.test(name!))).toEqual([]);
    // Neither its symbols (GLIBCXX_, CXXABI_) nor its library.
    expect(versionsNeeded(path).other.filter((version) => !version.startsWith('GCC_'))).toEqual([]);
  });
});
