import { Testpmd } from '@memif/test-kit';
import { afterEach } from 'vitest';
import { createInterface, type MemifInterface, type MemifOptions } from '../../src/index.ts';

/**
 * What every interop test starts: our interfaces and dpdk-testpmd processes, each closed or
 * stopped after the test, last started first. Call once per test file.
 */
export function interopFixtures(): {
  node(options: MemifOptions): MemifInterface;
  testpmd(vdev: string, appArgs?: string[], ealArgs?: string[]): Promise<Testpmd>;
  cleanups: Array<() => Promise<unknown>>;
} {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    cleanups,
    node(options) {
      const iface = createInterface(options);
      cleanups.push(() => iface.close());
      return iface;
    },
    async testpmd(vdev, appArgs = [], ealArgs = []) {
      const pmd = await Testpmd.start({ vdevs: [vdev], appArgs, ealArgs });
      cleanups.push(() => pmd.stop());
      return pmd;
    },
  };
}
