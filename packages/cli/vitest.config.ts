import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.ts';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'cli',
    environment: 'node',
    pool: 'forks',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The integration tests each run dpdk-testpmd, whose forwarding core spins; on a 2-core
    // machine two at once starve each other and the CLI under test.
    fileParallelism: false,
  },
});
