import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const tsup = fileURLToPath(new URL('../node_modules/.bin/tsup', import.meta.url));

/**
 * Tests for a package that claims to run anywhere: its tsup bundle (built into a temp dir)
 * imports nothing, no Node built-ins, no dependencies, and `works` passes on the loaded bundle.
 */
export function describeNeutralBundle<Module>(packageDir: string, works: (mod: Module) => void): void {
  describe('the built bundle', () => {
    let outDir: string;

    beforeAll(() => {
      outDir = mkdtempSync(join(tmpdir(), 'memif-neutral-bundle-'));
      execFileSync(tsup, ['--out-dir', outDir, '--no-dts', '--silent'], { cwd: packageDir, stdio: 'pipe' });
    }, 60_000);

    afterAll(() => {
      rmSync(outDir, { recursive: true, force: true });
    });

    it('imports nothing: no node: modules, no Node built-ins, no dependencies', () => {
      const js = readdirSync(outDir).filter((f) => f.endsWith('.js'));
      expect(js.length).toBeGreaterThan(0);
      for (const file of js) {
        const code = readFileSync(join(outDir, file), 'utf8');
        expect(code).not.toMatch(/\bfrom\s*["'][^"'.]/);
        expect(code).not.toMatch(/\bimport\s*\(\s*["'][^"'.]/);
        expect(code).not.toMatch(/\brequire\s*\(/);
        expect(code).not.toMatch(/\bBuffer\b|\bprocess\./);
      }
    });

    it('loads on its own and works', async () => {
      works((await import(join(outDir, 'index.js'))) as Module);
    });
  });
}
