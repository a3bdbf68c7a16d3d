import { defineConfig } from 'tsup';
import { neutralPackage } from '../../tsup.config.base.ts';

export default defineConfig(neutralPackage(['src/index.ts']));
