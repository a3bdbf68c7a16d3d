// How to run node-gyp here without touching the network: the headers of the running Node are
// used when they are installed beside it (<prefix>/include/node), so nothing is downloaded.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** `--nodedir` for the running Node when its headers are installed, else nothing. */
export function nodedirArgs() {
  const prefix = dirname(dirname(process.execPath));
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];
}
