import { defineConfig } from 'vitest/config';

/** One run covers the repo: every package contributes its own project config(s). */
export default defineConfig({
  test: {
    passWithNoTests: true,
    reporters: ['default', './tools/closing-line-reporter.ts'],
    projects: ['packages/*/vitest*.config.ts', 'apps/*/vitest*.config.ts', 'tools/*/vitest*.config.ts'],
  },
});
