import { defineQhcConfig } from '@qhc/vitest-config';

export default defineQhcConfig({ test: { globalSetup: ['@qhc/kube-sandbox/global-setup'], testTimeout: 120_000, hookTimeout: 600_000 } });
