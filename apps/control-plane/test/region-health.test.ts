import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegionHealth } from '@qhc/schemas';
import { startWithEnvironment, type EnvironmentFixture } from './support/cloud-region.ts';
import { caller } from './support/http.ts';

// The region's health as the agent reports it: parsed where it arrives (a malformed or
// unbounded health is dropped, the rest of the report kept) and kept in the region's status.
// The warnings it raises before a cluster or a backup is made: cloud-port-warnings.

let f: EnvironmentFixture;
const call = caller(() => f.cp.url, null);
const status = async () => (await f.cp.store.regionById(f.environmentId)).status as { health?: unknown } | undefined;

const health = (overrides: Partial<RegionHealth> = {}): RegionHealth => ({
  kubernetes: { version: 'v1.37.2', distribution: 'kwok' },
  nodes: { count: 1 },
  storageClasses: [
    { name: 'fast', provisioner: 'ebs.csi.aws.com', default: true, allowVolumeExpansion: false, reclaimPolicy: 'Delete' },
    { name: 'grow', provisioner: 'ebs.csi.aws.com', default: false, allowVolumeExpansion: true, reclaimPolicy: 'Retain' },
  ],
  volumeSnapshotClasses: [],
  capabilities: { volumeSnapshot: false, volumeExpansion: false },
  components: [{ name: 'qhc-operator', version: '0.1.0', ready: true }],
  canCreateClusters: true,
  collectedAt: '2026-12-03T21:00:00.000Z',
  ...overrides,
});
beforeAll(async () => {
  f = await startWithEnvironment();
});
afterAll(async () => {
  await f?.cp.stop();
});

describe('region health', () => {
  it('is kept in the region status; a malformed or unbounded health is dropped, the rest of the report kept', async () => {
    expect((await call('POST', '/agent/v1/status', { appliedRevision: 1, region: { phase: 'Ready' }, health: health(), clusters: [] }, f.agent)).status).toBe(
      204,
    );
    expect(await status()).toEqual({ phase: 'Ready', health: health() });

    const bad = [
      { health: { ...health(), nodes: { count: -1 } }, path: 'health.nodes.count' },
      { health: { ...health(), canCreateClusters: false }, path: 'health.reason' },
      {
        health: { ...health(), storageClasses: Array.from({ length: 101 }, (_, i) => ({ ...health().storageClasses[0]!, name: `c${i}` })) },
        path: 'health.storageClasses',
      },
      { health: { ...health(), kubernetes: { version: 'v1.37.2', distribution: 'x'.repeat(65) } }, path: 'health.kubernetes.distribution' },
      { health: { ...health(), extra: true }, path: 'health' },
    ];
    // A health this control plane cannot read (an agent newer than it, say) must not cost the
    // whole report: the region's phase and the clusters' status still arrive.
    for (const { health: h, path } of bad) {
      const kept = await call('POST', '/agent/v1/status', { appliedRevision: 1, region: { phase: `Ready-${path}` }, health: h, clusters: [] }, f.agent);
      expect(kept.status, path).toBe(204);
      expect(await status(), path).toEqual({ phase: `Ready-${path}` });
    }
    // Anything else malformed is still refused.
    expect((await call('POST', '/agent/v1/status', { appliedRevision: -1, health: health(), clusters: [] }, f.agent)).status).toBe(400);
    expect((await call('POST', '/agent/v1/status', { appliedRevision: 1, region: { phase: 'Ready' }, health: health(), clusters: [] }, f.agent)).status).toBe(
      204,
    );
    expect((await status())?.health).toEqual(health());
  });
});
