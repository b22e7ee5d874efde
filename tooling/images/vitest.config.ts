import { defineQhcConfig } from '@qhc/vitest-config';

export default defineQhcConfig({ test: { globalSetup: ['@qhc/kube-sandbox/global-setup'], testTimeout: 180_000, hookTimeout: 900_000 } });
