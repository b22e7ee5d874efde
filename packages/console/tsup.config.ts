import type { Options } from 'tsup';
import { library } from '@qhc/tsup-config';

// Only the Node entry; `vite build` then writes the app into dist/app.
const config: Options = library();
export default config;
