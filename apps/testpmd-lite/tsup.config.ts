import { defineConfig } from 'tsup';
import { nodePackage } from '../../tsup.config.base.ts';

// tsconfig `paths` point @memif/* at sources for typechecking and tests; the build must still
// import the packages (the native addon above all) rather than bundle them, and tsup bundles
// path-mapped imports whenever skipNodeModulesBundle is on.
export default defineConfig({ ...nodePackage(['src/index.ts']), dts: false, skipNodeModulesBundle: false, external: [/^@memif\//] });
