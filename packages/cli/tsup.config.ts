import { defineConfig } from 'tsup';
import { nodePackage } from '../../tsup.config.base.ts';

export default defineConfig(nodePackage(['src/index.ts']));
