import { defineQhcConfig } from '@qhc/vitest-config';

// Two projects, so that the tests needing no cluster (the bundle check, the node flags) run without
// the kube sandbox:
// vitest starts a project's globalSetup only when that project has a test file to run.
const NO_SANDBOX = ['test/bundle-check.test.ts', 'test/node-flags.test.ts'];
export default defineQhcConfig({
  test: {
    projects: [
      { extends: false, test: { name: 'bundles', include: NO_SANDBOX, environment: 'node', testTimeout: 60_000, hookTimeout: 120_000 } },
      {
        extends: true,
        test: { name: 'images', exclude: NO_SANDBOX, globalSetup: ['@qhc/kube-sandbox/global-setup'], testTimeout: 180_000, hookTimeout: 900_000 },
      },
    ],
  },
});
