import { defineProject } from 'vitest/config';
import { systemChromium } from '../../tools/system-chromium.ts';

/** Frames are built and read in browsers too: the unit tests again in headless Chromium. */
export default defineProject({
  test: {
    name: 'frame:browser',
    include: ['src/**/*.test.ts', 'test/host.test.ts'],
    browser: systemChromium(),
  },
});
