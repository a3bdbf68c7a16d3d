export { CommandLineError } from './command-line-error.ts';
export type { PortDevice, TestpmdConfig } from './parse-command-line.ts';
export { parseCommandLine } from './parse-command-line.ts';
export { run } from './run.ts';
