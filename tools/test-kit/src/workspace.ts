/**
 * The workspace packages the hostile peer is built from, by relative path: @memif/test-kit
 * declares no workspace dependencies (so `@memif/protocol` does not resolve from here outside
 * vitest's aliases). Once they are added to its package.json, import the package names instead.
 */
export * as protocol from '../../../packages/protocol/src/index.ts';
export * as ring from '../../../packages/ring/src/index.ts';
export * as native from '../../../packages/shm-native/src/index.ts';
