export { run } from './run.ts';
export { parseCommandLine } from './parse-command-line.ts';
export { CommandLineError } from './command-line-error.ts';

export type { TestpmdConfig, PortDevice } from './parse-command-line.ts';
