import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.ts';

/** The same tests in a browser-like environment, minus those that need Node (bundle, README). */
export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'ring:browser',
    environment: 'happy-dom',
    pool: 'forks',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/bundle.test.ts', 'test/readme.test.ts'],
  },
});
