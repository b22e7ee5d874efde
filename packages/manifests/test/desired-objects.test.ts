import { describe, expect, it } from 'vitest';
import { DesiredState, allKinds, buildCrd, type DesiredStateInput } from '@qhc/schemas';
import { clusterSnapshotFixture, clusterSpecFixture } from '@qhc/schemas/test';
import { ANNOTATION_REVISION, REGISTRY_SECRET, buildAgentInstallationObjects, buildDesiredStateObjects, isQdrantCrd } from '../src/index.ts';
import { region } from './installation-fixtures.ts';

const NS = 'qdrant-hybrid';
const b64 = (text: string) => Buffer.from(text).toString('base64');
const MANAGED = { 'app.kubernetes.io/managed-by': 'qhc-agent' };

function state(overrides: Partial<DesiredStateInput> = {}) {
  return DesiredState.parse({ revision: 7, region: { name: 'prod-eu', namespace: NS }, clusters: [], deletions: [], ...overrides });
}

describe('buildDesiredStateObjects: clusters', () => {
  it('builds a QdrantCluster per cluster, labelled and annotated with the revision, its spec as sent', () => {
    const spec = clusterSpecFixture('c1');
    const built = buildDesiredStateObjects(state({ clusters: [{ id: 'c1', spec, annotations: { restartedAt: 'now' } }] }), { namespace: NS });
    expect(built.clusters).toEqual([
      {
        id: 'c1',
        cluster: {
          apiVersion: 'qdrant.io/v1',
          kind: 'QdrantCluster',
          metadata: {
            name: 'qdrant-c1',
            namespace: NS,
            labels: { ...MANAGED, 'cluster-id': 'c1', 'customer-id': 'prod-eu' },
            annotations: { restartedAt: 'now', [ANNOTATION_REVISION]: '7' },
          },
          spec,
        },
      },
    ]);
  });

  it('puts API keys in a Secret and references it from config.service, keeping the rest of the config', () => {
    const spec = clusterSpecFixture('c1', { config: { service: { enable_tls: true }, log_level: 'INFO' } });
    const [c] = buildDesiredStateObjects(state({ clusters: [{ id: 'c1', spec, apiKeys: { apiKey: 'k', readOnlyApiKey: 'r' } }] }), { namespace: NS }).clusters;
    expect(c?.apiKeySecret).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'qdrant-c1-api-keys', namespace: NS, labels: { ...MANAGED, 'cluster-id': 'c1' } },
      type: 'Opaque',
      data: { 'api-key': b64('k'), 'read-only-api-key': b64('r') },
    });
    expect(c?.cluster.spec).toEqual({
      ...spec,
      config: {
        log_level: 'INFO',
        service: {
          enable_tls: true,
          api_key: { secretKeyRef: { name: 'qdrant-c1-api-keys', key: 'api-key' } },
          read_only_api_key: { secretKeyRef: { name: 'qdrant-c1-api-keys', key: 'read-only-api-key' } },
        },
      },
    });
    expect(JSON.stringify(c?.cluster)).not.toContain('"k"');
  });

  it('writes only the keys the record has, and no Secret for a record without keys', () => {
    const built = buildDesiredStateObjects(
      state({
        clusters: [
          { id: 'a', spec: clusterSpecFixture('a'), apiKeys: { readOnlyApiKey: 'r' } },
          { id: 'b', spec: clusterSpecFixture('b'), apiKeys: {} },
        ],
      }),
      { namespace: NS },
    ).clusters;
    expect(built[0]?.apiKeySecret?.data).toEqual({ 'read-only-api-key': b64('r') });
    expect((built[0]!.cluster.spec as { config: { service: object } }).config.service).toEqual({
      read_only_api_key: { secretKeyRef: { name: 'qdrant-a-api-keys', key: 'read-only-api-key' } },
    });
    expect(built[1]).not.toHaveProperty('apiKeySecret');
    expect(built[1]?.cluster.spec).toEqual(clusterSpecFixture('b'));
  });

  it('passes the origin on, for the agent to check the live cluster against', () => {
    const origin = { restore: 'r1', snapshot: 's1' };
    expect(
      buildDesiredStateObjects(state({ clusters: [{ id: 'c1', spec: clusterSpecFixture('c1'), origin }] }), { namespace: NS }).clusters[0]?.origin,
    ).toEqual(origin);
  });
});

describe('buildDesiredStateObjects: resources and deletions', () => {
  it('builds backups, schedules and restores with the cluster and revision, in the given order', () => {
    const backup = clusterSnapshotFixture('b1', 'c1');
    const built = buildDesiredStateObjects(state({ resources: [{ kind: backup.kind, name: 'b1', clusterId: 'c1', spec: backup.spec }] }), { namespace: NS });
    expect(built.resources).toEqual([
      {
        apiVersion: 'qdrant.io/v1',
        kind: 'QdrantClusterSnapshot',
        metadata: {
          name: 'b1',
          namespace: NS,
          labels: { ...MANAGED, 'cluster-id': 'c1', 'customer-id': 'prod-eu' },
          annotations: { [ANNOTATION_REVISION]: '7' },
        },
        spec: backup.spec,
      },
    ]);
  });

  it('lists only what the control plane deleted: clusters with their API-key Secret, and resources', () => {
    const built = buildDesiredStateObjects(state({ deletions: ['gone'], resourceDeletions: [{ kind: 'QdrantClusterRestore', name: 'r1' }] }), {
      namespace: NS,
    });
    expect(built.clusterDeletions).toEqual([
      {
        id: 'gone',
        cluster: { apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster', namespace: NS, name: 'qdrant-gone' },
        apiKeySecret: { apiVersion: 'v1', kind: 'Secret', namespace: NS, name: 'qdrant-gone-api-keys' },
      },
    ]);
    expect(built.resourceDeletions).toEqual([{ apiVersion: 'qdrant.io/v1', kind: 'QdrantClusterRestore', namespace: NS, name: 'r1' }]);
    expect(built.clusters).toEqual([]);
  });
});

describe('buildAgentInstallationObjects', () => {
  const crds = allKinds.map((kind) => buildCrd(kind) as unknown as Record<string, unknown>);
  const parsedCrds = () => state({ crds }).crds;

  it("applies the release's qdrant.io CRDs first, and neither cluster-scoped RBAC nor an empty pull Secret", () => {
    const { objects, clusterRoles, droppedCrds } = buildAgentInstallationObjects(region(), { crds: parsedCrds() });
    expect(objects.slice(0, crds.length).map((o) => o.kind)).toEqual(crds.map(() => 'CustomResourceDefinition'));
    expect(objects.some((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding')).toBe(false);
    expect(objects.some((o) => o.kind === 'Secret' && o.metadata.name === REGISTRY_SECRET)).toBe(false);
    expect(clusterRoles.length).toBeGreaterThan(0);
    expect(clusterRoles.every((o) => o.kind === 'ClusterRole')).toBe(true);
    expect(droppedCrds).toEqual([]);
    expect(objects.at(-1)).toMatchObject({ kind: 'Deployment', metadata: { name: 'qhc-agent' } });
  });

  it('writes the pull Secret with stored credentials', () => {
    const { objects } = buildAgentInstallationObjects(region(), { crds: [], registryCredentials: { username: 'u', password: 'p' } });
    expect(objects.some((o) => o.kind === 'Secret' && o.metadata.name === REGISTRY_SECRET)).toBe(true);
    expect(objects.some((o) => o.kind === 'CustomResourceDefinition')).toBe(false);
  });

  it('drops every crds entry that is not a qdrant.io CustomResourceDefinition, naming it', () => {
    const other = [
      { kind: 'ClusterRole', metadata: { name: 'admin' } },
      { kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, spec: { group: 'example.com' } },
    ];
    const { objects, droppedCrds } = buildAgentInstallationObjects(region(), { crds: state({ crds: [...crds.slice(0, 1), ...other] }).crds });
    expect(droppedCrds).toEqual([
      { kind: 'ClusterRole', name: 'admin' },
      { kind: 'CustomResourceDefinition', name: 'widgets.example.com' },
    ]);
    expect(objects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name)).toEqual(['qdrantclusters.qdrant.io']);
    expect(isQdrantCrd({ kind: 'CustomResourceDefinition', spec: { group: 'qdrant.io' } })).toBe(true);
  });
});
