// Clusters a restore made in the region are adopted by the control plane from the agent's
// report: once, whatever the number of reports (also at the same time), never over a
// same-named record, never from a report of an older revision; then managed like any other.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ClusterRecord } from '@qhc/schemas';
import { createTestDatabase } from './support/postgres.ts';
import { startWithRegion, type RegionFixture } from './support/region.ts';

const spec = { version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } };
// A restored cluster as the agent reports it: its spec as the operator made it from the backup.
const restored = (id: string, restore = `bk-to-${id}`, extra: Record<string, unknown> = {}) => ({
  id,
  phase: 'Pending',
  origin: { restore, snapshot: 'bk', sourceCluster: 'source' },
  spec: { ...spec, size: 1, ...extra },
});
let counter = 0;

/** A control plane with region `r` and its agent, for the describe block, and the calls the tests make. */
function adoptionFixture(dialect: 'sqlite' | 'postgres') {
  let fixture: RegionFixture;
  let agent = '';
  const call: RegionFixture['call'] = (...args) => fixture.call(...args);
  const revision = async () => (await call('GET', '/api/v1/regions/r')).json.revision as number;
  const report = async (clusters: unknown[], appliedRevision?: number) =>
    call('POST', '/agent/v1/status', { appliedRevision: appliedRevision ?? (await revision()), clusters }, agent);
  const names = async () => (await call('GET', '/api/v1/regions/r/clusters')).json.items.map((c: { name: string }) => c.name);
  const events = async (name: string) =>
    (await call('GET', `/api/v1/regions/r/clusters/${name}/events`)).json.items as Array<{ type: string; message: string }>;

  beforeAll(async () => {
    fixture = await startWithRegion(dialect === 'sqlite' ? undefined : await createTestDatabase(inject('postgresUrl'), `adopt_${process.pid}_${counter++}`));
    agent = fixture.agent;
  });
  afterAll(async () => {
    await fixture?.cp.stop();
  });
  return {
    get agent() {
      return agent;
    },
    get fixture() {
      return fixture;
    },
    call,
    revision,
    report,
    names,
    events,
  };
}

describe.each(['sqlite', 'postgres'] as const)('adopting restored clusters on %s', (dialect) => {
  const f = adoptionFixture(dialect);
  const { call, revision, report, names, events } = f;

  it('adopts a restored cluster once, with its origin; the desired state carries it from then on', async () => {
    const before = await revision();
    // Three reports at once, as replicas behind a load balancer may take them.
    const answers = await Promise.all([0, 1, 2].map(() => report([restored('copy')], before)));
    expect(answers.map((a) => a.status)).toEqual([204, 204, 204]);
    await report([restored('copy')]);
    expect(await names()).toEqual(['copy']);
    const record = (await call('GET', '/api/v1/regions/r/clusters/copy')).json;
    expect(() => ClusterRecord.parse(record)).not.toThrow();
    // The adoption fields are not kept as the cluster's status.
    expect(record.status).not.toHaveProperty('spec');
    expect(record.status).not.toHaveProperty('origin');
    expect(record).toMatchObject({
      name: 'copy',
      origin: { restore: 'bk-to-copy', snapshot: 'bk', sourceCluster: 'source' },
      spec: { size: 1, version: 'v1.16.2' },
      status: { phase: 'Pending' },
    });
    // One new revision for the one adoption, however many reports carried it.
    expect(await revision()).toBe(before + 1);
    expect((await events('copy')).filter((e) => e.type === 'Adopted')).toEqual([
      expect.objectContaining({ message: 'restored by bk-to-copy from backup bk of cluster source' }),
    ]);
    const desired = (await call('GET', '/agent/v1/desired-state', undefined, f.agent)).json;
    expect(desired.clusters).toEqual([expect.objectContaining({ id: 'copy', spec: expect.objectContaining({ id: 'copy', size: 1 }), origin: record.origin })]);
  });

  it('then scales, backs up and deletes it like any other', async () => {
    expect((await call('POST', '/api/v1/regions/r/clusters/copy/scale', { size: 3 })).json.spec.size).toBe(3);
    expect(
      (await call('POST', '/api/v1/regions/r/backups', { name: 'copy-bk', clusterId: 'copy', spec: { 'cluster-id': 'copy', retention: '24h' } })).status,
    ).toBe(201);
    expect((await call('DELETE', '/api/v1/regions/r/clusters/copy')).status).toBe(202);
    const desired = (await call('GET', '/agent/v1/desired-state', undefined, f.agent)).json;
    expect([desired.clusters.map((c: { id: string }) => c.id), desired.deletions]).toEqual([[], ['copy']]);
    // The f.agent deleted it and reports it gone: the record goes, and is not adopted back.
    await report([]);
    expect(await names()).toEqual([]);
  });
});

describe.each(['sqlite', 'postgres'] as const)('what adoption leaves alone on %s', (dialect) => {
  const f = adoptionFixture(dialect);
  const { call, revision, report, names, events } = f;

  it('a report of an older revision adopts nothing (it may predate a deletion)', async () => {
    await report([restored('late')], (await revision()) - 1);
    expect(await names()).toEqual([]);
  });

  it('a cluster made in the region some other way is left alone', async () => {
    await report([
      { id: 'by-kubectl', phase: 'Healthy' },
      { id: 'no-spec', origin: { restore: 'x', snapshot: 'y' } },
    ]);
    expect(await names()).toEqual([]);
  });

  it('refuses a clash: a record of the same name keeps its spec, and says why once', async () => {
    expect((await call('POST', '/api/v1/regions/r/clusters', { name: 'taken', spec: { ...spec, size: 2 } })).status).toBe(201);
    const before = await revision();
    await report([restored('taken')]);
    await report([restored('taken')]);
    const record = (await call('GET', '/api/v1/regions/r/clusters/taken')).json;
    expect(record.spec.size).toBe(2);
    expect(record.origin).toBeUndefined();
    expect(await revision()).toBe(before);
    expect((await events('taken')).filter((e) => e.type === 'Conflict')).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^not adopted: restore bk-to-taken made a cluster with this name/) }),
    ]);
    await call('DELETE', '/api/v1/regions/r/clusters/taken');
    await report([]);
  });
});

describe.each(['sqlite', 'postgres'] as const)('adopted keys and specs on %s', (dialect) => {
  const f = adoptionFixture(dialect);
  const { call, report, events } = f;

  it("takes over the source's API keys when the restored spec points at the source's Secret", async () => {
    await call('POST', '/api/v1/regions/r/clusters', { name: 'source', spec, apiKey: 'source-key-123456', readOnlyApiKey: 'source-ro-123456' });
    const withKeys = restored('keyed', 'bk-to-keyed', {
      config: {
        log_level: 'DEBUG',
        service: {
          api_key: { secretKeyRef: { name: 'qdrant-source-api-keys', key: 'api-key' } },
          read_only_api_key: { secretKeyRef: { name: 'qdrant-source-api-keys', key: 'read-only-api-key' } },
        },
      },
    });
    await report([withKeys]);
    const record = (await call('GET', '/api/v1/regions/r/clusters/keyed')).json;
    expect(record.apiKeys).toEqual({ apiKey: 'source-key-123456', readOnlyApiKey: 'source-ro-123456' });
    // The f.agent points the new cluster at its own Secret (qdrant-keyed-api-keys); the rest of the config stays.
    expect(record.spec.config).toEqual({ log_level: 'DEBUG', service: {} });
  });

  it('refuses a change of the database StorageClass, naming the field; the volume snapshot class may change', async () => {
    await call('POST', '/api/v1/regions/r/clusters', { name: 'classy', spec: { ...spec, storageClassNames: { db: 'fast' } } });
    const moved = await call('PUT', '/api/v1/regions/r/clusters/classy', { spec: { ...spec, storageClassNames: { db: 'slow' } } });
    expect(moved.status).toBe(422);
    expect(moved.json.message).toMatch(
      /^cluster classy: spec\.storageClassNames\.db cannot change after the cluster is created \(was "fast", got "slow"\): the database volumes exist/,
    );
    const snap = await call('PUT', '/api/v1/regions/r/clusters/classy', {
      spec: { ...spec, storageClassNames: { db: 'fast' }, storage: { volumeSnapshotClassName: 'csi-other' }, clusterManager: true },
    });
    expect(snap.status).toBe(200);
    expect(snap.json.spec).toMatchObject({ storage: { volumeSnapshotClassName: 'csi-other' }, clusterManager: true });
    expect((await events('classy')).find((e) => e.type === 'Requested' && e.message !== 'created: 1 node(s) of v1.16.2')?.message).toBe(
      'volume snapshot class csi-other, rebalancing on',
    );
  });
});
