import { fileURLToPath } from 'node:url';

const src = (pkg: string): string => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

/**
 * Package names resolved to their sources, so that tests never wait for a tsup build. Only the
 * native addon needs building before tests (`pnpm turbo run build:native`).
 */
export const workspaceAliases: Record<string, string> = {
  '@memif/frame': src('frame'),
  '@memif/protocol': src('protocol'),
  '@memif/ring': src('ring'),
  '@memif/shm-native': src('shm-native'),
  // Before '@memif/memif', which as a prefix would also match the subpath.
  '@memif/memif/control': fileURLToPath(new URL('./packages/memif/src/control.ts', import.meta.url)),
  '@memif/memif': src('memif'),
  '@memif/test-kit': fileURLToPath(new URL('./tools/test-kit/src/index.ts', import.meta.url)),
};
