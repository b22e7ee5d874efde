import { defineQhcConfig } from '@qhc/vitest-config';

// One file at a time: the faults hit the shared sandbox (a restarted apiserver or etcd would
// fail whatever another file was doing). The second global setup prints the results table.
export default defineQhcConfig({
  test: { globalSetup: ['@qhc/kube-sandbox/global-setup', './test/support/report.ts'], fileParallelism: false, testTimeout: 240_000 },
});
