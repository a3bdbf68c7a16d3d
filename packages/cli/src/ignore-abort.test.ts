import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ignoreAbort } from './ignore-abort.ts';

describe('ignoreAbort', () => {
  it('ends an aborted wait quietly', async () => {
    const controller = new AbortController();
    const waited = delay(60_000, undefined, { signal: controller.signal }).catch(ignoreAbort);
    controller.abort();
    await expect(waited).resolves.toBeUndefined();
    await expect(delay(60_000, undefined, { signal: AbortSignal.abort() }).catch(ignoreAbort)).resolves.toBeUndefined();
  });

  it('lets any other error through', () => {
    const error = new TypeError('not an abort');
    expect(() => ignoreAbort(error)).toThrow(error);
  });
});
