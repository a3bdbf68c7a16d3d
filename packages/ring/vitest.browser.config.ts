import { defineProject } from 'vitest/config';
import { systemChromium } from '../../tools/system-chromium.ts';
import { workspaceAliases } from '../../vitest.shared.ts';

/** The rings claim to run in browsers: the same tests in headless Chromium, minus those that need Node. */
export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'ring:browser',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/bundle.test.ts', 'test/readme.test.ts'],
    browser: systemChromium(),
  },
});
