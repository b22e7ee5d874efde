import { defineQhcConfig } from '@qhc/vitest-config';

// One provider (Hydra and the login app) for the package's whole run.
export default defineQhcConfig({ test: { globalSetup: ['./test/support/global-setup.ts'] } });
