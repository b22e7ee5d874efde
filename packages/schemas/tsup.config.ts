import type { Options } from 'tsup';
import { library } from '@qhc/tsup-config';

// `./test`: fixtures for other packages' tests, built apart so the main entry never carries them.
// `./sealing`: node:crypto, apart so the browser console never carries it.
const config: Options = library({ entry: ['src/index.ts', 'src/test/index.ts', 'src/sealing/index.ts'] });
export default config;
