import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.ts';

/**
 * Packs, installs and runs the packages from their tarballs. Its npm install and source compile
 * load both cores for minutes, so it runs after every other project (a later group), never
 * beside their timing-sensitive peers.
 */
export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'tarballs',
    environment: 'node',
    pool: 'forks',
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    sequence: { groupOrder: 1 },
  },
});
