export { Testpmd } from './testpmd.ts';
export type { PortStats, TestpmdOptions } from './testpmd.ts';
