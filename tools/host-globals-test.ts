import { describe, expect, it } from 'vitest';

/**
 * Under Node this states the obvious; in a browser project it proves the tests beside it ran in
 * a real browser, where Node's globals do not exist (happy-dom kept them, and proved nothing).
 */
export function describeHostGlobals(): void {
  describe('the host running these tests', () => {
    const g = globalThis as Record<string, unknown> & { navigator?: { userAgent?: string } };
    const inChromium = /Chrome\//.test(g.navigator?.userAgent ?? '') && typeof g.document === 'object';

    it('is Chromium without Node globals, or Node itself', () => {
      if (inChromium) {
        expect(typeof g.process).toBe('undefined');
        expect(typeof g.Buffer).toBe('undefined');
        expect(typeof g.require).toBe('undefined');
      } else {
        expect(typeof (g.process as { versions?: { node?: string } } | undefined)?.versions?.node).toBe('string');
      }
    });
  });
}
