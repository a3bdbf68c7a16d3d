/** Where a command writes: the process's streams, or buffers in tests. */
export interface CommandIo {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
}

export const processIo: CommandIo = { stdout: process.stdout, stderr: process.stderr };
