import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.ts';

/**
 * dpdk-testpmd and testpmd-lite side by side (each scenario runs both, one after the other, and
 * spins a DPDK forwarding core): one file at a time on the 2-core machine.
 */
export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'testpmd-lite:conformance',
    environment: 'node',
    pool: 'forks',
    include: ['test/conformance/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 60_000,
  },
});
