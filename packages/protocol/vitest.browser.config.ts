import { defineProject } from 'vitest/config';
import { systemChromium } from '../../tools/system-chromium.ts';

/** The codec claims to run in browsers: the same tests in headless Chromium, minus those that need Node. */
export default defineProject({
  test: {
    name: 'protocol:browser',
    include: ['test/**/*.test.ts'],
    exclude: ['test/bundle.test.ts', 'test/readme.test.ts'],
    browser: systemChromium(),
  },
});
