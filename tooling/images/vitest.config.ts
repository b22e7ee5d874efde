import { defineQhcConfig } from '@qhc/vitest-config';

// Two projects so that the bundle check, which needs no cluster, runs without the kube sandbox:
// vitest starts a project's globalSetup only when that project has a test file to run.
const BUNDLE_CHECK = 'test/bundle-check.test.ts';
export default defineQhcConfig({
  test: {
    projects: [
      { extends: false, test: { name: 'bundles', include: [BUNDLE_CHECK], environment: 'node', testTimeout: 60_000, hookTimeout: 120_000 } },
      {
        extends: true,
        test: { name: 'images', exclude: [BUNDLE_CHECK], globalSetup: ['@qhc/kube-sandbox/global-setup'], testTimeout: 180_000, hookTimeout: 900_000 },
      },
    ],
  },
});
