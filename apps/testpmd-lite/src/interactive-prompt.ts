import { createInterface } from 'node:readline';
import { completeCommand, executeCommand } from './execute-command.ts';
import type { Print, TestpmdApp } from './testpmd-app.ts';

export const PROMPT = 'testpmd> ';

/**
 * The `testpmd> ` prompt on stdin/stdout: readline with history and tab completion. Like
 * testpmd's cmdline it echoes commands read from a pipe, so a transcript reads as a session.
 * Resolves when the user quits or stdin ends (testpmd leaves on EOF too).
 */
export function runInteractivePrompt(app: TestpmdApp, print: Print, input: NodeJS.ReadableStream = process.stdin): Promise<void> {
  const terminal = process.stdin.isTTY === true && input === process.stdin;
  const rl = createInterface({
    input,
    output: process.stdout,
    prompt: PROMPT,
    terminal,
    historySize: 500,
    completer: (line: string): [string[], string] => {
      const partial = line.split(/\s+/).pop() ?? '';
      return [completeCommand(line).map((word) => `${word} `), partial];
    },
  });
  return new Promise((resolve) => {
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      rl.close();
      resolve();
    };
    rl.on('line', (line) => {
      if (done) return;
      if (!terminal) print(`${line}\n`);
      if (executeCommand(app, line, print) === 'quit') finish();
      else rl.prompt();
    });
    rl.on('close', () => {
      if (!done && !terminal) print('\n');
      finish();
    });
    rl.on('SIGINT', finish);
    rl.prompt();
  });
}
