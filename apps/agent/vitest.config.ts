import { defineQhcConfig } from '@qhc/vitest-config';

export default defineQhcConfig({ test: { globalSetup: ['@qhc/kube-sandbox/global-setup'] } });
