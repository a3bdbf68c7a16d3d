import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NativeBinding } from './native.ts';
import { NativeLoadError } from './native-load-error.ts';

/** Environment variable naming a specific `.node` file to load instead of searching. */
export const NATIVE_PATH_ENV = 'MEMIF_SHM_NATIVE_PATH';

export interface LoadNativeOptions {
  /** A specific `.node` file; defaults to `process.env.MEMIF_SHM_NATIVE_PATH`. */
  readonly path?: string | undefined;
  /** Package root to search; defaults to the root this module was installed in. */
  readonly packageRoot?: string | undefined;
}

const require = createRequire(import.meta.url);
const cache = new Map<string, NativeBinding>();

/**
 * Loads the addon: the explicit path if given, else `prebuilds/linux-<arch>/*.node`
 * (prebuildify layout, as shipped in the tarball), else `build/Release/shm_native.node`
 * (a local `build:native`). Throws a {@link NativeLoadError} listing every path tried.
 * Loaded bindings are cached per path; each worker thread gets its own instance.
 */
export function loadNative(options: LoadNativeOptions = {}): NativeBinding {
  const explicit = options.path ?? process.env[NATIVE_PATH_ENV];
  const candidates =
    explicit === undefined || explicit === ''
      ? candidatePaths(options.packageRoot ?? findPackageRoot())
      : [explicit];
  const tried: string[] = [];
  let lastError: unknown;
  for (const candidate of candidates) {
    const cached = cache.get(candidate);
    if (cached !== undefined) return cached;
    try {
      const binding = require(candidate) as NativeBinding;
      cache.set(candidate, binding);
      return binding;
    } catch (error) {
      lastError = error;
      tried.push(`${candidate} (${describe(error)})`);
    }
  }
  if (candidates.length === 0) tried.push('(no candidate paths)');
  throw new NativeLoadError(tried, { cause: lastError });
}

function candidatePaths(root: string): string[] {
  const prebuildDir = join(root, 'prebuilds', `${process.platform}-${process.arch}`);
  let prebuilds: string[];
  try {
    // node.napi.node first (prebuildify's name for a Node-API build), then any other .node.
    prebuilds = readdirSync(prebuildDir)
      .filter((name) => name.endsWith('.node'))
      .sort((a, b) => Number(b === 'node.napi.node') - Number(a === 'node.napi.node'))
      .map((name) => join(prebuildDir, name));
  } catch {
    prebuilds = [join(prebuildDir, 'node.napi.node')];
  }
  return [...prebuilds, join(root, 'build', 'Release', 'shm_native.node')];
}

/** The package root, resolved from this module's own URL (never __dirname, which ESM lacks). */
function findPackageRoot(): string {
  // Works both from src/ (tests, tsx) and from the bundled dist/: both sit one level down.
  const here = dirname(fileURLToPath(import.meta.url));
  return dirname(here);
}

function describe(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = String(error.code);
    return code === 'MODULE_NOT_FOUND' ? 'not found' : `${code}: ${firstLine(error)}`;
  }
  return firstLine(error);
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? '';
}
