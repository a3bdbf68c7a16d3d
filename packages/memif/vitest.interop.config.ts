import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.ts';

/** Against a real dpdk-testpmd (DPDK 22.11): one file at a time, the machine has two cores. */
export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'memif:interop',
    environment: 'node',
    pool: 'forks',
    include: ['test/interop/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
