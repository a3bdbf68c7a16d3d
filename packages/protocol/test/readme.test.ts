import { fileURLToPath } from 'node:url';
import { expect, it, vi } from 'vitest';
import { runReadmeExamples } from '../../../tools/readme-examples.ts';

it('runs every example of the README', async () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const count = await runReadmeExamples(fileURLToPath(new URL('..', import.meta.url)));
  expect(count).toBe(2);
  expect(log.mock.calls).toEqual([[true], ['net_memif0'], ['master: connected to', 's0'], ['slave: connected to', 'm0']]);
  log.mockRestore();
});
