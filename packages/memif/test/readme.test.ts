import { fork } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it, vi } from 'vitest';
import { readmeExamples } from '../../../tools/readme-examples.ts';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url));

it('runs the README examples: the master in its own process, the slave here', async () => {
  const [master, slave, vdev] = readmeExamples(`${packageDir}/README.md`);
  const dir = `${packageDir}/test/.readme-examples`;
  mkdirSync(dir, { recursive: true });
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    // The child resolves '@memif/memif' through tsx, so point it at the sources.
    writeFileSync(`${dir}/master.ts`, (master ?? '').replace("'@memif/memif'", "'../../src/index.ts'"));
    const child = fork(`${dir}/master.ts`, { execArgv: ['--import', tsx], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    let childOutput = '';
    child.stdout?.on('data', (chunk: Buffer) => (childOutput += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      for (const [i, code] of [slave, vdev].entries()) {
        writeFileSync(`${dir}/example-${i}.ts`, code ?? '');
        await import(/* @vite-ignore */ `${dir}/example-${i}.ts`);
      }
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
    expect(childOutput).toContain('master: connected to readme-slave');
    expect(log.mock.calls.slice(0, 3)).toEqual([1, 2, 3].map((i) => ['slave: frame', i, 'came back with', 64, 'bytes of', i]));
    expect(log.mock.calls[3]?.[0]).toEqual({ name: 'net_memif0', role: 'slave', socket: '/tmp/x.sock', socketAbstract: false });
  } finally {
    log.mockRestore();
    rmSync(dir, { recursive: true, force: true });
  }
}, 30_000);
