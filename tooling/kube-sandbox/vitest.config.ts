import { defineQhcConfig } from '@qhc/vitest-config';

export default defineQhcConfig({ test: { globalSetup: ['./src/global-setup.ts'] } });
