import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import {
  ANNOTATION_BOOTSTRAP_NODE,
  ANNOTATION_ON_DEMAND_REPLICATION_RESTART,
  ANNOTATION_OPERATOR_VERSION,
  ANNOTATION_RECREATE_NODE,
  ANNOTATION_REINIT,
  ANNOTATION_RESTARTED_AT,
  QDRANT_API_VERSION,
  allKinds,
  isQdrantCloudRegion,
  isQdrantCluster,
  isQdrantClusterRestore,
  isQdrantClusterScheduledSnapshot,
  isQdrantClusterSnapshot,
  isQdrantEntity,
  isQdrantRelease,
  qdrantClusterKind,
  type KindDefinition,
} from '../src/crds/index.ts';
import {
  LABEL_APP,
  LABEL_APP_VALUE,
  LABEL_CLUSTER_ID,
  LABEL_CUSTOMER_ID,
  clientServiceName,
  clusterResourceName,
  clusterSelectorLabels,
  configMapName,
  headlessServiceName,
  nodeServiceName,
  podName,
} from '../src/names.ts';

const byKind = Object.fromEntries(allKinds.map((k) => [k.kind, k])) as Record<string, KindDefinition>;

// Identity and presentation as in qdrant/kubernetes-api's CRDs (crds/*.yaml @802b52d).
const UPSTREAM = {
  QdrantCluster: {
    plural: 'qdrantclusters',
    shortNames: ['qc', 'qcs'],
    scope: 'Namespaced',
    columns: ['Nodes', 'Version', 'Phase', 'Age'],
    preserve: { spec: true, status: true },
  },
  QdrantClusterSnapshot: {
    plural: 'qdrantclustersnapshots',
    shortNames: ['qcsnap', 'qcsnaps'],
    scope: 'Namespaced',
    columns: ['clusterid', 'Phase', 'retainUntil', 'completion-time', 'age'],
    preserve: { spec: false, status: true },
  },
  QdrantClusterScheduledSnapshot: {
    plural: 'qdrantclusterscheduledsnapshots',
    shortNames: ['qcssnap', 'qcssnaps'],
    scope: 'Namespaced',
    columns: ['clusterid', 'scheduleShortId', 'schedule', 'retention', 'scheduled', 'age'],
    preserve: { spec: false, status: false },
  },
  QdrantClusterRestore: {
    plural: 'qdrantclusterrestores',
    shortNames: ['qcrs', 'qcr'],
    scope: 'Namespaced',
    columns: ['Phase', 'Age'],
    preserve: { spec: false, status: true },
  },
  QdrantEntity: {
    plural: 'qdrantentities',
    shortNames: ['qe'],
    scope: 'Namespaced',
    columns: ['EntityType', 'Phase', 'Age'],
    preserve: { spec: false, status: true },
  },
  QdrantRelease: {
    plural: 'qdrantreleases',
    shortNames: ['qr', 'qrs'],
    scope: 'Namespaced',
    columns: ['Version', 'Default', 'Unavailable', 'EndOfLife'],
    preserve: { spec: false, status: false },
  },
  // Upstream preserves unknown fields at the root only, which spec and status do not inherit.
  QdrantCloudRegion: {
    plural: 'qdrantcloudregions',
    shortNames: ['region', 'regions'],
    scope: 'Cluster',
    columns: ['K8s Version', 'Phase', 'Age'],
    preserve: { spec: false, status: false },
  },
} as const;

describe('kind definitions', () => {
  it('cover the seven qdrant.io/v1 kinds', () => {
    expect(allKinds.map((k) => k.kind).toSorted()).toEqual(Object.keys(UPSTREAM).toSorted());
  });

  it.each(Object.entries(UPSTREAM))('%s matches upstream identity and presentation', (kind, upstream) => {
    const definition = byKind[kind]!;
    expect(`${definition.group}/${definition.version}`).toBe(QDRANT_API_VERSION);
    expect(definition.plural).toBe(upstream.plural);
    expect(definition.singular).toBe(kind.toLowerCase());
    expect(definition.listKind).toBe(`${kind}List`);
    expect(definition.shortNames).toEqual(upstream.shortNames);
    expect(definition.scope).toBe(upstream.scope);
    expect(definition.categories).toEqual(['qdrant']);
    // Our extra columns only show with -o wide (priority 1).
    expect(definition.printerColumns.filter((c) => !c.priority).map((c) => c.name)).toEqual(upstream.columns);
    expect(definition.preserveUnknownFields).toEqual(upstream.preserve);
    expect(definition.subresources.status).toBe(kind !== 'QdrantRelease');
  });

  it('gives QdrantCluster the scale subresource on size / currentNodes / selector', () => {
    expect(qdrantClusterKind.subresources.scale).toEqual({
      specReplicasPath: '.spec.size',
      statusReplicasPath: '.status.currentNodes',
      labelSelectorPath: '.status.selector',
    });
    expect(allKinds.filter((k) => k.subresources.scale)).toEqual([qdrantClusterKind]);
  });

  it('lets the apiserver select QdrantEntities by type', () => {
    expect(byKind.QdrantEntity!.selectableFields).toEqual(['.spec.entityType']);
  });

  it.each(allKinds.map((k) => [k.kind, k] as const))('%s converts to an OpenAPI 3.0 schema (no transforms, dates or cycles)', (_kind, definition) => {
    const schema = z.toJSONSchema(definition.schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'throw', cycles: 'throw', reused: 'inline' });
    const text = JSON.stringify(schema);
    expect(text).not.toContain('$ref');
    expect(schema).toMatchObject({ type: 'object', properties: { apiVersion: {}, kind: {}, metadata: {}, spec: {} } });
  });

  it('printer columns point at fields the schema has', () => {
    for (const definition of allKinds) {
      const schema = JSON.stringify(z.toJSONSchema(definition.schema, { target: 'openapi-3.0', io: 'input' }));
      for (const column of definition.printerColumns) {
        const field = column.jsonPath.split('.').at(-1)!;
        expect(schema, `${definition.kind} ${column.jsonPath}`).toContain(`"${field}"`);
      }
    }
  });

  it('puts the cron pattern of upstream into the scheduled snapshot schema', () => {
    const schema = z.toJSONSchema(byKind.QdrantClusterScheduledSnapshot!.spec, { target: 'openapi-3.0', io: 'input' }) as {
      properties: Record<string, { pattern?: string }>;
    };
    expect(schema.properties.schedule?.pattern).toBe(
      String.raw`^(@(annually|yearly|monthly|weekly|daily|hourly|reboot))|(@every (\d+(ns|us|µs|ms|s|m|h))+)|((((\d+,)+\d+|([\d\*]+(\/|-)\d+)|\d+|\*) ?){5,7})$`,
    );
    expect(schema.properties.retention?.pattern).toBe('^[0-9]+h$');
  });
});

describe('guards', () => {
  const guards = {
    QdrantCluster: isQdrantCluster,
    QdrantClusterSnapshot: isQdrantClusterSnapshot,
    QdrantClusterScheduledSnapshot: isQdrantClusterScheduledSnapshot,
    QdrantClusterRestore: isQdrantClusterRestore,
    QdrantEntity: isQdrantEntity,
    QdrantRelease: isQdrantRelease,
    QdrantCloudRegion: isQdrantCloudRegion,
  };

  it.each(Object.entries(guards))('%s guard checks apiVersion and kind only', (kind, guard) => {
    expect(guard({ apiVersion: 'qdrant.io/v1', kind })).toBe(true);
    expect(guard({ apiVersion: 'qdrant.io/v1alpha1', kind })).toBe(false);
    expect(guard({ apiVersion: 'qdrant.io/v1', kind: `${kind}List` })).toBe(false);
    for (const other of Object.keys(guards).filter((k) => k !== kind)) expect(guard({ apiVersion: 'qdrant.io/v1', kind: other })).toBe(false);
    expect(guard(null)).toBe(false);
    expect(guard('QdrantCluster')).toBe(false);
  });
});

describe('names every app agrees on', () => {
  const id = 'a7d8d973-0cc5-42de-8d7b-c29d14d24840';

  it('derives object names from the cluster id as upstream does', () => {
    expect(clusterResourceName(id)).toBe(`qdrant-${id}`);
    expect(clientServiceName(id)).toBe(`qdrant-${id}`);
    expect(configMapName(id)).toBe(`qdrant-${id}`);
    expect(headlessServiceName(id)).toBe(`qdrant-headless-${id}`);
    expect(podName(id, 3)).toBe(`qdrant-${id}-3`);
    expect(nodeServiceName(id, 3)).toBe(`qdrant-${id}-3`);
  });

  it('names the labels', () => {
    expect([LABEL_APP, LABEL_APP_VALUE, LABEL_CLUSTER_ID, LABEL_CUSTOMER_ID]).toEqual(['app', 'qdrant', 'cluster-id', 'customer-id']);
    expect(clusterSelectorLabels(id)).toEqual({ app: 'qdrant', 'cluster-id': id });
  });

  it('names the annotations', () => {
    expect([
      ANNOTATION_RESTARTED_AT,
      ANNOTATION_ON_DEMAND_REPLICATION_RESTART,
      ANNOTATION_RECREATE_NODE,
      ANNOTATION_REINIT,
      ANNOTATION_BOOTSTRAP_NODE,
      ANNOTATION_OPERATOR_VERSION,
    ]).toEqual([
      'restartedAt',
      'operator.qdrant.com/on-demand-replication-restart',
      'operator.qdrant.com/recreate-node',
      'operator.qdrant.com/reinit',
      'operator.qdrant.com/bootstrap-node',
      'operator.qdrant.com/version',
    ]);
  });
});
