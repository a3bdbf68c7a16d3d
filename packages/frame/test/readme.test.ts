import { fileURLToPath } from 'node:url';
import { expect, it, vi } from 'vitest';
import { runReadmeExamples } from '../../../tools/readme-examples.ts';

it('runs every example of the README', async () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const count = await runReadmeExamples(fileURLToPath(new URL('..', import.meta.url)));
  expect(count).toBe(1);
  expect(log.mock.calls).toEqual([
    [true, true],
    ['192.168.1.1', '>', '192.168.1.2', 5000],
  ]);
  log.mockRestore();
});
