import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import testpmdLiteProject from './apps/testpmd-lite/vitest.config.ts';
import cliProject from './packages/cli/vitest.config.ts';
import memifInteropProject from './packages/memif/vitest.interop.config.ts';
import { DpdkPeer } from './tools/test-kit/src/dpdk-peer.ts';

/**
 * More DPDKs to run the interop suites against, besides the host's dpdk-testpmd: Debian roots
 * made by scripts/ensure-dpdk-root.sh, colon-separated in MEMIF_TEST_DPDK_ROOTS (empty: none).
 * Unset, the default root is used when it is ready, so `pnpm test` on a provisioned machine runs
 * both; scripts/test.sh provisions it and names it.
 */
function extraDpdkRoots(): string[] {
  const named = process.env.MEMIF_TEST_DPDK_ROOTS;
  if (named !== undefined) return named.split(':').filter((root) => root !== '');
  const fallback = '/var/lib/memif-test/dpdk-trixie';
  return existsSync(join(fallback, '.memif-test-ready')) ? [fallback] : [];
}

/** The interop suites, each file chosen for talking to dpdk-testpmd. */
const interopSuites = [
  { project: memifInteropProject, root: 'packages/memif', include: undefined },
  { project: cliProject, root: 'packages/cli', include: ['test/{inspect,capture,replay,ping,readme}.test.ts'] },
  { project: testpmdLiteProject, root: 'apps/testpmd-lite', include: ['test/interop.test.ts'] },
];

/**
 * The same suites against one more DPDK. Its tests make their sockets under os.tmpdir(), which
 * points inside the root so that testpmd there sees them. They run after the host's (group 1):
 * two testpmd forwarding cores at once starve each other on small machines.
 */
function projectsFor(root: string): TestProjectInlineConfiguration[] {
  const peer = new DpdkPeer(root);
  const env = { MEMIF_TEST_DPDK_ROOT: root, MEMIF_TEST_DPDK_VERSION: peer.version, TMPDIR: join(root, 'tmp') };
  return interopSuites.map(({ project, root: projectRoot, include }) => ({
    ...project,
    test: {
      ...project.test,
      name: `${project.test?.name ?? projectRoot}@${basename(root)}`,
      root: projectRoot,
      ...(include === undefined ? {} : { include }),
      env: { ...project.test?.env, ...env },
      sequence: { ...project.test?.sequence, groupOrder: 1 },
    },
  }));
}

/** One run covers the repo: every package contributes its own project config(s). */
export default defineConfig({
  test: {
    passWithNoTests: true,
    reporters: ['default', './tools/closing-line-reporter.ts'],
    projects: [
      'packages/*/vitest*.config.ts',
      'apps/*/vitest*.config.ts',
      'tools/*/vitest*.config.ts',
      ...extraDpdkRoots().flatMap(projectsFor),
    ],
  },
});
