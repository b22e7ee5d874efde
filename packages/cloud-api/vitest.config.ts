import { defineQhcConfig } from '@qhc/vitest-config';

export default defineQhcConfig();
