import { defineConfig } from 'tsup';
import { nodePackage } from '../../tsup.config.base.ts';

export default defineConfig({
  ...nodePackage(['src/index.ts']),
  // tsconfig.json maps the workspace packages to their sources (for typecheck and tsx), and tsup's
  // skipNodeModulesBundle bundles whatever tsconfig paths match; the build must import them instead.
  skipNodeModulesBundle: false,
  external: ['@memif/memif', '@memif/protocol', '@memif/shm-native'],
});
