// Compiles the addon into build/Release with node-gyp, offline: the headers of the running
// Node are used when they are installed beside it (<prefix>/include/node), so node-gyp never
// downloads them. Always compiles, even when a prebuild is present.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');

const prefix = dirname(dirname(process.execPath));
const args = [nodeGyp, 'rebuild', '--jobs=max'];
if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);

const result = spawnSync(process.execPath, args, {
  cwd: packageRoot,
  stdio: 'inherit',
  env: { ...process.env, SHM_NATIVE_FORCE_BUILD: '1' },
});
process.exit(result.status ?? 1);
