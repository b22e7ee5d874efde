import type { Options } from 'tsup';
import { library } from '@qhc/tsup-config';

const config: Options = library();
export default config;
