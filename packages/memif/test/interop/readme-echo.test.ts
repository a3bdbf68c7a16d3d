import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it, vi } from 'vitest';
import { readmeExamples } from '../../../../tools/readme-examples.ts';
import { uniqueSocketPath } from '../helpers.ts';
import { interopFixtures } from './interop-fixtures.ts';

const { testpmd } = interopFixtures();
const packageDir = fileURLToPath(new URL('../..', import.meta.url));

it("runs the README's echo example against dpdk-testpmd macswap and gets every frame back", async () => {
  const echo = readmeExamples(`${packageDir}/README.md`).find((code) => code.includes("'/tmp/echo.sock'"));
  expect(echo, 'the README has the echo example').toBeDefined();
  const socket = uniqueSocketPath('readme-echo');
  const pmd = await testpmd(`net_memif0,role=server,id=0,socket=${socket},socket-abstract=no`, ['--forward-mode=macswap']);
  // What the README says: start testpmd forwarding (its banner) before sending what must return.
  await pmd.startForwarding();
  const dir = `${packageDir}/test/.readme-echo-${process.pid}`;
  mkdirSync(dir, { recursive: true });
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    writeFileSync(
      `${dir}/echo.ts`,
      (echo ?? '').replace("'/tmp/echo.sock'", JSON.stringify(socket)).replace("'@memif/memif'", "'../../src/index.ts'"),
    );
    await import(/* @vite-ignore */ `${dir}/echo.ts`);
    // Only echoes come back (testpmd forwards nothing else): 100,000 of them is every frame.
    // testpmd's own counters restart when the example's close() takes the link down.
    expect(log.mock.calls).toEqual([['echoed', 100_000, 'of', 100_000]]);
  } finally {
    log.mockRestore();
    rmSync(dir, { recursive: true, force: true });
  }
});
