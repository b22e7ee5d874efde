import { defineQhcConfig } from '@qhc/vitest-config';

export default defineQhcConfig({ test: { globalSetup: ['test/support/global-setup.ts', 'test/support/oidc-setup.ts'] } });
