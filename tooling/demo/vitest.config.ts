import { defineQhcConfig } from '@qhc/vitest-config';

// The demo starts its own sandbox: no shared one here.
export default defineQhcConfig({});
