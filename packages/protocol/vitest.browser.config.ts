import { defineProject } from 'vitest/config';

/** The codec must run in browsers: the same tests under a DOM-like global environment. */
export default defineProject({
  test: {
    name: 'protocol:browser',
    environment: 'happy-dom',
    include: ['test/**/*.test.ts'],
    exclude: ['test/bundle.test.ts', 'test/readme.test.ts'],
  },
});
