// A cluster's Kubernetes identity is its object id, not its name: the desired state, the agent's
// status reports, backups' targets and restores' source keys go by it, and a rename keeps it.
import { apiKeySecretName, ClusterRecord, clusterResourceName } from '@qhc/schemas';
import { clusterSpecFixture } from '@qhc/schemas/test';
import { describe, expect, it } from 'vitest';
import { insertClusterNamedById, renameCluster } from '../src/repositories/clusters.ts';
import { apiSuite, cluster } from './support/api-suite.ts';
import { sqlOn } from './support/sql.ts';

const { id: _id, ...RAW_SPEC } = clusterSpecFixture('unused');
const SPEC = ClusterRecord.shape.spec.parse(RAW_SPEC);

/** The control plane with region `r`, its agent, and what the tests read and report. */
function objectIdSuite(dialect: 'sqlite' | 'postgres') {
  const suite = apiSuite(dialect, ['r']);
  const { call } = suite;
  let agent = '';
  const agentToken = async () => (agent ||= await suite.installAgent('r'));
  const desired = async () => (await call('GET', '/agent/v1/desired-state', undefined, await agentToken())).json;
  const revision = async () => (await call('GET', '/api/v1/regions/r')).json.revision as number;
  const report = async (clusters: unknown[]) => call('POST', '/agent/v1/status', { appliedRevision: await revision(), clusters }, await agentToken());
  const objectIdOf = async (name: string) =>
    (await sqlOn(suite.cp.store.db).one<{ object_id: string }>('SELECT object_id FROM clusters WHERE name = $1', [name]))?.object_id;
  const record = (name: string) => suite.cp.store.cluster('r', name);
  const insertNamedById = async (name: string) => insertClusterNamedById(suite.cp.store.db, await suite.cp.store.region('r'), { name, spec: SPEC }, () => null);
  return { suite, call, desired, revision, report, objectIdOf, record, insertNamedById };
}

describe.each(['sqlite', 'postgres'] as const)('a cluster named by its id on %s', (dialect) => {
  const { call, desired, report, objectIdOf, insertNamedById } = objectIdSuite(dialect);

  it('is qdrant-<id> in the desired state; the status, backups and the deletion go by the id', async () => {
    const id = await insertNamedById('by-id');
    expect([await objectIdOf('by-id'), clusterResourceName(id)]).toEqual([id, `qdrant-${id}`]);
    const state = await desired();
    expect(state.clusters.map((c: { id: string; spec: { id: string } }) => [c.id, c.spec.id])).toEqual([[id, id]]);
    expect((await report([{ id, phase: 'Healthy', nodes: 1, nodesReady: 1 }])).status).toBe(204);
    expect((await call('GET', '/api/v1/regions/r/clusters/by-id')).json.status).toMatchObject({ phase: 'Healthy' });
    const byName = await call('POST', '/api/v1/regions/r/backups', { name: 'bk-name', clusterId: 'by-id', spec: { 'cluster-id': 'by-id' } });
    expect([byName.status, byName.json.message]).toEqual([422, 'clusterId: cluster by-id does not exist in region r (or is being deleted)']);
    expect((await call('POST', '/api/v1/regions/r/backups', { name: 'bk-id', clusterId: id, spec: { 'cluster-id': id } })).status).toBe(201);
    expect((await call('DELETE', '/api/v1/regions/r/clusters/by-id')).status).toBe(202);
    expect((await desired()).deletions).toEqual([id]);
    // Still there while the agent reports it; gone once an up-to-date report no longer does.
    expect((await report([{ id, phase: 'Healthy', nodes: 1, nodesReady: 1 }])).status).toBe(204);
    expect((await call('GET', '/api/v1/regions/r/clusters/by-id')).status).toBe(200);
    expect((await report([])).status).toBe(204);
    expect((await call('GET', '/api/v1/regions/r/clusters/by-id')).status).toBe(404);
  });

  it('/api/v1 still names a new cluster’s objects after its name', async () => {
    expect((await call('POST', '/api/v1/regions/r/clusters', cluster('plain'))).status).toBe(201);
    expect(await objectIdOf('plain')).toBe('plain');
    expect((await desired()).clusters.map((c: { id: string }) => c.id)).toContain('plain');
  });
});

describe.each(['sqlite', 'postgres'] as const)('a renamed cluster on %s', (dialect) => {
  const { suite, call, desired, revision, report, objectIdOf, record } = objectIdSuite(dialect);

  it('keeps its object id, its objects and the region revision; its status and events follow it', async () => {
    expect((await call('POST', '/api/v1/regions/r/clusters', cluster('before'))).status).toBe(201);
    const [stateBefore, revisionBefore, current] = [await desired(), await revision(), await record('before')];
    await renameCluster(suite.cp.store.db, current, 'after');
    expect([await objectIdOf('after'), (await record('after')).id]).toEqual(['before', current.id]);
    expect((await call('GET', '/api/v1/regions/r/clusters/before')).status).toBe(404);
    const stateAfter = await desired();
    expect([stateAfter.revision, stateAfter.clusters]).toEqual([revisionBefore, stateBefore.clusters]);
    expect((await report([{ id: 'before', phase: 'Healthy', nodes: 1, nodesReady: 1 }])).status).toBe(204);
    expect((await call('GET', '/api/v1/regions/r/clusters/after')).json.status).toMatchObject({ phase: 'Healthy' });
    const events = (await call('GET', '/api/v1/regions/r/clusters/after/events')).json.items.map((e: { message: string }) => e.message);
    expect(events).toContain('renamed from before to after');
  });

  it('leaves its old name free but not its objects: a new cluster of that name is refused (409)', async () => {
    const taken = await call('POST', '/api/v1/regions/r/clusters', cluster('before'));
    expect([taken.status, taken.json.message]).toEqual([409, 'the Kubernetes objects qdrant-before belong to cluster after in region r']);
    expect((await call('POST', '/api/v1/regions/r/clusters', cluster('other'))).status).toBe(201);
    await expect(renameCluster(suite.cp.store.db, await record('after'), 'other')).rejects.toThrow('cluster other already exists in the region');
    expect(await objectIdOf('after')).toBe('before');
  });
});

/** A restored cluster as the agent reports it, made from a backup of `sourceCluster`. */
const restored = (id: string, sourceCluster: string, config: Record<string, unknown> = {}) => ({
  id,
  phase: 'Pending',
  origin: { restore: `bk-to-${id}`, snapshot: 'bk', sourceCluster },
  spec: { ...RAW_SPEC, config },
});

describe.each(['sqlite', 'postgres'] as const)('restores of a renamed cluster on %s', (dialect) => {
  const { suite, call, report, record, objectIdOf } = objectIdSuite(dialect);

  it("takes over the source's API keys by its object id (the Secret is named after it)", async () => {
    await call('POST', '/api/v1/regions/r/clusters', { ...cluster('source'), apiKey: 'source-key-123456' });
    await renameCluster(suite.cp.store.db, await record('source'), 'renamed');
    const secretRef = { secretKeyRef: { name: apiKeySecretName('source'), key: 'api-key' } };
    expect((await report([restored('copy', 'source', { service: { api_key: secretRef } })])).status).toBe(204);
    const copy = await record('copy');
    expect([copy.apiKeys, copy.spec.config, await objectIdOf('copy')]).toEqual([{ apiKey: 'source-key-123456' }, { service: {} }, 'copy']);
  });

  it('does not adopt a restored cluster over the objects of a renamed one: the clash is told on it', async () => {
    await call('POST', '/api/v1/regions/r/clusters', cluster('held'));
    await renameCluster(suite.cp.store.db, await record('held'), 'moved');
    expect((await report([restored('held', 'source')])).status).toBe(204);
    expect((await call('GET', '/api/v1/regions/r/clusters/held')).status).toBe(404);
    const events = (await call('GET', '/api/v1/regions/r/clusters/moved/events')).json.items.map((e: { type: string }) => e.type);
    expect(events).toContain('Conflict');
  });
});
