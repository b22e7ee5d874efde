import { describe, expect, it } from 'vitest';
import { waitFor } from '@qhc/kube-sandbox';
import { ready, useOperator, withReasons } from './support/harness.ts';

// A short operationTimeout: an upgrade whose new pods never become Ready overruns it.
const h = useOperator('rollout-failure', '  operationTimeout: 6\n');

describe('a rollout that cannot finish', () => {
  it('pauses on the first pod that does not become Ready, fails with OperationTimeout, retries, and completes once fixed', async () => {
    const id = 'f1';
    await h.client.apply(h.clusterObject(id, { size: 3 }));
    await h.waitFor(id, 'Healthy', (c) => c.status?.phase === 'Healthy' && c.status.availableNodes === 3);

    // The new version's pods never start (in the sandbox: kwok keeps them Pending).
    await h.client.patch(h.ref(id), { spec: { version: 'v1.13.0', statefulSet: { pods: { annotations: { 'sandbox.qhc.dev/never-ready': 'true' } } } } });
    const failed = await h.waitFor(id, 'FailedToUpdate by the operation timeout', (c) => c.status?.phase === 'FailedToUpdate', 30_000);
    expect(failed.status?.reason).toMatch(/^OperationTimeout: Upgrading did not finish within 6s \(rolling from v1.12.4 to v1.13.0: 2 of 3 ready\)$/);
    // Paused: one pod was replaced and is stuck; the other two still run the old version, Ready.
    const pods = await h.pods(id);
    const old = pods.filter((p) => p.spec.containers[0]!.image.endsWith(':v1.12.4'));
    expect(old.length).toBe(2);
    expect(old.every(ready)).toBe(true);
    expect((await h.events(id, withReasons('FailedToUpdate'))).some((e) => e.type === 'Warning' && e.reason === 'FailedToUpdate')).toBe(true);
    // Retried under the backoff: the phase goes back to Upgrading and fails again.
    await h.waitFor(id, 'retried (Upgrading again)', (c) => c.status?.phase === 'Upgrading', 30_000);

    // Fixed: the rollout resumes and finishes.
    await h.client.patch(h.ref(id), { spec: { statefulSet: null } });
    await waitFor(
      'the stuck pod replaced',
      async () => {
        const now = await h.pods(id);
        return now.length === 3 && now.every((p) => ready(p) && p.spec.containers[0]!.image.endsWith(':v1.13.0')) ? true : undefined;
      },
      { timeoutMs: 60_000 },
    );
    const healthy = await h.waitFor(id, 'Healthy at v1.13.0', (c) => c.status?.phase === 'Healthy' && c.status.version === 'v1.13.0', 60_000);
    expect(healthy.status?.availableNodes).toBe(3);
  });
});
