import { defineConfig } from 'tsup';
import { nodePackage } from '../../tsup.config.base.ts';

// Members marked @internal (the listener's and links' hooks) stay out of the public types.
export default defineConfig({ ...nodePackage(['src/index.ts', 'src/control.ts']), dts: { compilerOptions: { stripInternal: true } } });
