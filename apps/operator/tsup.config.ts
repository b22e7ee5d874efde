import type { Options } from 'tsup';
import { app } from '@qhc/tsup-config';

const config: Options = app();
export default config;
