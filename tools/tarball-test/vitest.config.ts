import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.ts';

/** Packs, installs and runs the packages from their tarballs: slow (npm, a source compile), so alone. */
export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'tarballs',
    environment: 'node',
    pool: 'forks',
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
  },
});
