import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageRoot = dirname(dirname(fileURLToPath(import.meta.url)));
let outDir = '';
let bundle = '';

describe('built bundle', () => {
  beforeAll(() => {
    outDir = mkdtempSync(join(tmpdir(), 'memif-ring-bundle-'));
    const tsupCli = join(dirname(createRequire(import.meta.url).resolve('tsup/package.json')), 'dist/cli-default.js');
    execFileSync(process.execPath, [tsupCli, '--out-dir', outDir, '--no-dts'], { cwd: packageRoot, stdio: 'pipe' });
    bundle = readFileSync(join(outDir, 'index.js'), 'utf8');
  }, 60_000);

  afterAll(() => {
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('imports nothing: no node: module, no Node built-in, no dependency', () => {
    expect(bundle.length).toBeGreaterThan(1000);
    expect(bundle).not.toMatch(/\bfrom\s*["']/);
    expect(bundle).not.toMatch(/\bimport\s*\(/);
    expect(bundle).not.toMatch(/^\s*import\s/m);
    expect(bundle).not.toMatch(/\brequire\s*\(/);
    expect(bundle).not.toMatch(/["']node:/);
  });

  it('uses no Node global', () => {
    expect(bundle).not.toMatch(/\bBuffer\b/);
    expect(bundle).not.toMatch(/\bprocess\./);
    expect(bundle).not.toMatch(/\b__dirname\b/);
  });

  it('exports the data plane', async () => {
    const ring = (await import(join(outDir, 'index.js'))) as Record<string, unknown>;
    for (const name of [
      'RegionLayout',
      'RingView',
      'SlaveTransmitter',
      'MasterReceiver',
      'SlaveReceiver',
      'MasterTransmitter',
      'BufferPool',
      'RingError',
    ]) {
      expect(typeof ring[name]).toBe('function');
    }
  });
});
