import { defineQhcConfig } from '@qhc/vitest-config';

export default defineQhcConfig({ test: { testTimeout: 600_000 } });
