import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The fenced `js`/`ts` code blocks of a README, in order. */
export function readmeExamples(readmePath: string): string[] {
  const text = readFileSync(readmePath, 'utf8');
  return [...text.matchAll(/```(?:js|ts|javascript|typescript)\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
}

/**
 * Runs each README example as a module inside `packageDir` (so the test's aliases resolve package
 * names to sources) and removes the files afterwards. Resolves when every example has finished.
 */
export async function runReadmeExamples(packageDir: string): Promise<number> {
  const examples = readmeExamples(join(packageDir, 'README.md'));
  const dir = join(packageDir, 'test', '.readme-examples');
  mkdirSync(dir, { recursive: true });
  try {
    for (const [i, code] of examples.entries()) {
      const file = join(dir, `example-${i}.ts`);
      writeFileSync(file, code);
      await import(/* @vite-ignore */ file);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return examples.length;
}
