import type { Options } from 'tsup';

/**
 * The one tsup configuration of the workspace. Package configs spread it and name only their
 * entries and platform, so a later move to another bundler stays mechanical.
 */
const shared = {
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: false,
  treeshake: false,
  outDir: 'dist',
  // Dependencies (and the native addon above all) stay imports; nothing is bundled implicitly.
  skipNodeModulesBundle: true,
} satisfies Options;

/** A package that runs on Node (targets the Node 20 floor). */
export function nodePackage(entry: string[]): Options {
  return { ...shared, entry, platform: 'node', target: 'node20' };
}

/** A package that must run anywhere, browsers included (`protocol`, `ring`). */
export function neutralPackage(entry: string[]): Options {
  return { ...shared, entry, platform: 'neutral', target: 'es2022' };
}
