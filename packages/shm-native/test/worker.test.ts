import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { closeFd, EventFd, FdWatcher } from '../src/index.ts';
import { fdCount } from './helpers.ts';

const fixture = new URL('./fixtures/worker.ts', import.meta.url).href;
// Workers do not inherit vitest's TypeScript transform: register tsx inside the worker first.
const bootstrap = `import('tsx/esm/api')
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(fixture)}); })`;

interface WorkerReport {
  readonly counter: number;
  readonly byte: number;
  readonly fd: number;
}

async function runWorker(id: number): Promise<Omit<WorkerReport, 'fd'>> {
  const worker = new Worker(bootstrap, { eval: true, workerData: id });
  const timer = setTimeout(() => void worker.terminate(), 15_000);
  try {
    const [{ fd, ...report }] = (await once(worker, 'message')) as [WorkerReport];
    // The worker left a watcher running, which keeps it alive: terminating it must run the
    // environment cleanup (close the uv_poll handle, unmap the leftover mapping) without a crash.
    await worker.terminate();
    closeFd(fd);
    return report;
  } finally {
    clearTimeout(timer);
  }
}

/** Lines of /proc/self/maps that belong to the workers' memfds. */
function workerMappings(): number {
  return readFileSync('/proc/self/maps', 'utf8')
    .split('\n')
    .filter((line) => line.includes('memfd:worker-')).length;
}

describe('worker threads', () => {
  it('loads and works in a worker, and in two workers at once, beside the main thread', async () => {
    const events = EventFd.create();
    const mainFired = new Promise<void>((resolve) => {
      const watcher = new FdWatcher(events.fd, () => {
        watcher.close();
        resolve();
      });
      watcher.start();
    });

    expect(await runWorker(3)).toEqual({ counter: 3, byte: 3 });
    const before = fdCount();
    const both = await Promise.all([runWorker(5), runWorker(7)]);
    expect(both).toEqual([
      { counter: 5, byte: 5 },
      { counter: 7, byte: 7 },
    ]);
    // The workers' leftover watchers and mappings died with their environments.
    expect(fdCount()).toBe(before);
    expect(workerMappings()).toBe(0);

    events.write();
    await mainFired;
    events.close();
  }, 30_000); // three workers each register tsx and compile the fixture: seconds under load
});
