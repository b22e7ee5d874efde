import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@qhc/kube';
import type { RegionHealth } from '@qhc/schemas';
import { startControlPlane, type RunningControlPlane } from '../src/index.ts';
import { caller } from './support/http.ts';

// The region's health as the agent reports it: parsed where it arrives (a malformed or
// unbounded health is dropped, the rest of the report kept), kept in the region's status, and used to warn before a
// cluster or a backup is created in a region that cannot serve it well.

const ADMIN = 'qhc_u_test-admin-token-0123456789';
let cp: RunningControlPlane;
const call = caller(() => cp.url, ADMIN);

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
const cluster = (name: string, storageClassNames?: { db: string }) => ({
  name,
  spec: { version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' }, ...(storageClassNames ? { storageClassNames } : {}) },
});

beforeAll(async () => {
  cp = await startControlPlane({
    database: join(mkdtempSync(join(tmpdir(), 'qhc-cp-')), 'cp.db'),
    port: 0,
    adminToken: ADMIN,
    logger: createLogger({ level: 'error' }),
    publicUrl: 'https://cp.example.test',
    pollIntervalMs: 50,
  });
});
afterAll(async () => {
  await cp?.stop();
});

describe('region health', () => {
  let agent = '';
  it('is kept in the region status; a malformed or unbounded health is dropped, the rest of the report kept', async () => {
    expect((await call('POST', '/api/v1/regions', { name: 'h1', namespace: 'qhc', agentVersion: '0.1.0', operatorVersion: '0.1.0' })).status).toBe(201);
    const install = await call('POST', '/api/v1/regions/h1/installation');
    agent = (await call('POST', '/agent/v1/register', undefined, install.json.bootstrapToken)).json.token;

    expect((await call('POST', '/agent/v1/status', { appliedRevision: 1, region: { phase: 'Ready' }, health: health(), clusters: [] }, agent)).status).toBe(
      204,
    );
    expect((await call('GET', '/api/v1/regions/h1')).json.status).toEqual({ phase: 'Ready', health: health() });

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
      const kept = await call('POST', '/agent/v1/status', { appliedRevision: 1, region: { phase: `Ready-${path}` }, health: h, clusters: [] }, agent);
      expect(kept.status, path).toBe(204);
      expect((await call('GET', '/api/v1/regions/h1')).json.status, path).toEqual({ phase: `Ready-${path}` });
    }
    // Anything else malformed is still refused.
    expect((await call('POST', '/agent/v1/status', { appliedRevision: -1, health: health(), clusters: [] }, agent)).status).toBe(400);
    expect((await call('POST', '/agent/v1/status', { appliedRevision: 1, region: { phase: 'Ready' }, health: health(), clusters: [] }, agent)).status).toBe(
      204,
    );
    expect((await call('GET', '/api/v1/regions/h1')).json.status.health).toEqual(health());
  });

  it('creating a cluster whose StorageClass cannot expand answers with a Warning header; the cluster is created', async () => {
    const fixed = await call('POST', '/api/v1/regions/h1/clusters', cluster('c-fixed'));
    expect(fixed.status).toBe(201);
    expect(fixed.headers.get('warning')).toBe(
      '299 - "StorageClass \\"fast\\" does not allow volume expansion: this cluster\'s storage cannot grow later (set allowVolumeExpansion: true on the class, or use another one)"',
    );
    const grow = await call('POST', '/api/v1/regions/h1/clusters', cluster('c-grow', { db: 'grow' }));
    expect([grow.status, grow.headers.get('warning')]).toEqual([201, null]);
    const missing = await call('POST', '/api/v1/regions/h1/clusters', cluster('c-missing', { db: 'nope' }));
    expect(missing.status).toBe(201);
    expect(missing.headers.get('warning')).toContain('StorageClass \\"nope\\" does not exist in region h1');
  });

  it('a backup or schedule in a region without snapshot support warns; with it, it does not', async () => {
    const backup = await call('POST', '/api/v1/regions/h1/backups', { name: 'b1', clusterId: 'c-grow', spec: { 'cluster-id': 'c-grow' } });
    expect(backup.status).toBe(201);
    expect(backup.headers.get('warning')).toMatch(
      /^299 - "region h1 cannot take volume snapshots .*: this backup will fail until snapshot support is installed"$/,
    );
    const schedule = await call('POST', '/api/v1/regions/h1/backup-schedules', {
      name: 's1',
      clusterId: 'c-grow',
      spec: { 'cluster-id': 'c-grow', scheduleShortId: 's1', schedule: '0 2 * * *', retention: '72h' },
    });
    expect([schedule.status, schedule.headers.get('warning') !== null]).toEqual([201, true]);

    const snapshots = health({
      volumeSnapshotClasses: [{ name: 'csi-snapclass', driver: 'ebs.csi.aws.com', default: true, deletionPolicy: 'Delete' }],
      capabilities: { volumeSnapshot: true, volumeExpansion: false },
    });
    expect((await call('POST', '/agent/v1/status', { appliedRevision: 1, health: snapshots, clusters: [] }, agent)).status).toBe(204);
    const quiet = await call('POST', '/api/v1/regions/h1/backups', { name: 'b2', clusterId: 'c-grow', spec: { 'cluster-id': 'c-grow' } });
    expect([quiet.status, quiet.headers.get('warning')]).toEqual([201, null]);
  });
});
