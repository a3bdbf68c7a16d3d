import { defineConfig } from 'tsup';
import { nodePackage } from '../../tsup.config.base.ts';

// An application: no types to publish.
export default defineConfig({ ...nodePackage(['src/index.ts']), dts: false });
