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
 * Loads the addon: the explicit path if given, else the prebuild for this platform, architecture
 * and libc (`prebuilds/linux-<arch>/node.napi.glibc.node`, prebuildify's layout and tags, as
 * shipped in the tarball), else `build/Release/shm_native.node` (a source build: `npm rebuild`
 * or `build:native`). Throws a {@link NativeLoadError} listing every path tried and what to do.
 * Loaded bindings are cached per path; each worker thread gets its own instance.
 */
export function loadNative(options: LoadNativeOptions = {}): NativeBinding {
  const explicit = options.path ?? process.env[NATIVE_PATH_ENV];
  const candidates = explicit === undefined || explicit === '' ? candidatePaths(options.packageRoot ?? findPackageRoot()) : [explicit];
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
  throw new NativeLoadError(tried, { platform: `${process.platform}-${process.arch}`, libc: runningLibc() }, { cause: lastError });
}

function candidatePaths(root: string): string[] {
  const prebuildDir = join(root, 'prebuilds', `${process.platform}-${process.arch}`);
  const libc = runningLibc();
  let names: string[];
  try {
    names = readdirSync(prebuildDir).filter((name) => name.endsWith('.node'));
  } catch {
    names = [];
  }
  // A prebuild tagged with this libc first, then untagged ones; other libcs' never load here.
  const ranked = names
    .map((name) => ({ name, tag: libcTag(name) }))
    .filter(({ tag }) => tag === undefined || tag === libc)
    .sort((a, b) => Number(b.tag === libc) - Number(a.tag === libc) || a.name.localeCompare(b.name))
    .map(({ name }) => join(prebuildDir, name));
  const expected = join(prebuildDir, `node.napi.${libc ?? 'glibc'}.node`);
  return [...(ranked.length > 0 ? ranked : [expected]), join(root, 'build', 'Release', 'shm_native.node')];
}

/** The libc tag of a prebuildify file name (`node.napi.musl.node` → `musl`), if it has one. */
function libcTag(name: string): string | undefined {
  return name
    .split('.')
    .slice(0, -1)
    .find((tag) => tag === 'glibc' || tag === 'musl');
}

let libc: 'glibc' | 'musl' | undefined | null = null;

/** `glibc` or `musl` on Linux (what the process runs on, as Node's report header tells), else undefined. */
function runningLibc(): 'glibc' | 'musl' | undefined {
  if (libc === null) {
    if (process.platform !== 'linux') libc = undefined;
    else {
      const header = (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header;
      libc = header?.glibcVersionRuntime === undefined ? 'musl' : 'glibc';
    }
  }
  return libc;
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
