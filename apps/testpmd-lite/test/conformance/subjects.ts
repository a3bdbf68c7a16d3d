import { testpmdLiteCommand } from '../testpmd-lite-command.ts';

/** A program that takes dpdk-testpmd's command line: the reference, or testpmd-lite. */
export interface Subject {
  readonly name: string;
  /** For @memif/test-kit's `Testpmd`: undefined runs its default dpdk-testpmd. */
  readonly command: readonly string[] | undefined;
}

/**
 * The reference is whatever dpdk-testpmd the test kit starts (DPDK 22.11 here); set
 * CONFORMANCE_REFERENCE to another command line (words separated by spaces) to compare against
 * another build, e.g. a DPDK 24.11 testpmd under `stdbuf -oL`.
 */
export const reference: Subject = {
  name: 'dpdk-testpmd',
  command: process.env.CONFORMANCE_REFERENCE?.trim().split(/\s+/),
};

export const lite: Subject = { name: 'testpmd-lite', command: testpmdLiteCommand };
