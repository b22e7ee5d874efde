import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ManifestError, buildClusterObjects, onDemandReplicationMode, type KubeObject } from '../src/index.ts';
import { UID, cluster, settings, type Loose } from './fixtures.ts';

const classes = (built: KubeObject[]) =>
  find(built, 'StatefulSet').spec.volumeClaimTemplates.map((t: { spec: { storageClassName?: string } }) => t.spec.storageClassName);

const find = (built: KubeObject[], kind: string, name?: string) => {
  const found = built.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!found) throw new Error(`no ${kind} ${name ?? ''}`);
  return found as KubeObject & { spec: Loose; data?: Loose };
};

const id = '9a9f48c7-bb90-4fb2-816f-418a46a74b24';
const objects = buildClusterObjects(cluster(id), settings());

describe('buildClusterObjects: names and rollout', () => {
  it("names objects as Qdrant's operator does, all labelled and owned by the cluster", () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      `ConfigMap/qdrant-${id}`,
      `Service/qdrant-headless-${id}`,
      `Service/qdrant-${id}`,
      `Service/qdrant-${id}-0`,
      `Service/qdrant-${id}-1`,
      `Service/qdrant-${id}-2`,
      // Not qdrant-<id>: the seed has users write their own NetworkPolicy under that name.
      `NetworkPolicy/qdrant-${id}-qhc`,
      `PodDisruptionBudget/qdrant-${id}`,
      `StatefulSet/qdrant-${id}`,
    ]);
    for (const object of objects) {
      expect(object.metadata.namespace).toBe('qdrant');
      expect(object.metadata.labels).toMatchObject({ app: 'qdrant', 'cluster-id': id, 'app.kubernetes.io/managed-by': 'qhc-operator' });
      expect(object.metadata.ownerReferences).toEqual([
        { apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster', name: `qdrant-${id}`, uid: UID, controller: true, blockOwnerDeletion: true },
      ]);
    }
  });

  it('rolls one pod at a time unless restartAllPodsConcurrently lets them all go at once', () => {
    expect(find(objects, 'StatefulSet').spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    const concurrent = find(buildClusterObjects(cluster(id, { restartAllPodsConcurrently: true }), settings()), 'StatefulSet');
    expect(concurrent.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: '100%' } });
  });

  it('leaves restarts to the operator (OnDelete) under onDemandReplication Auto or On', () => {
    for (const mode of ['Auto', 'On'] as const) {
      expect(find(buildClusterObjects(cluster(id, { onDemandReplication: mode }), settings()), 'StatefulSet').spec.updateStrategy).toEqual({
        type: 'OnDelete',
      });
    }
    expect(find(buildClusterObjects(cluster(id, { onDemandReplication: 'Off' }), settings()), 'StatefulSet').spec.updateStrategy.type).toBe('RollingUpdate');
    // One restart asked for by annotation: Auto, with the time on the pods so they all restart.
    const asked = cluster(id, { onDemandReplication: 'Off' }, { annotations: { 'operator.qdrant.com/on-demand-replication-restart': '2026-12-01T00:00:00Z' } });
    const askedSts = find(buildClusterObjects(asked, settings()), 'StatefulSet');
    expect(askedSts.spec.updateStrategy).toEqual({ type: 'OnDelete' });
    expect(askedSts.spec.template.metadata.annotations['qhc.dev/on-demand-replication-restart']).toBe('2026-12-01T00:00:00Z');
    expect(onDemandReplicationMode(asked)).toBe('Auto');
    // All at once wins: nothing is copied when every pod goes anyway.
    const both = buildClusterObjects(cluster(id, { onDemandReplication: 'On', restartAllPodsConcurrently: true }), settings());
    expect(find(both, 'StatefulSet').spec.updateStrategy.rollingUpdate.maxUnavailable).toBe('100%');
  });

  it('keeps volumes on deletion unless the cluster asks for Delete; a bad value names the annotation', () => {
    expect(find(objects, 'StatefulSet').spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    const deleting = find(buildClusterObjects(cluster(id, {}, { annotations: { 'qhc.dev/volume-retention': 'Delete' } }), settings()), 'StatefulSet');
    expect(deleting.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Delete', whenScaled: 'Retain' });
    expect(() => buildClusterObjects(cluster(id, {}, { annotations: { 'qhc.dev/volume-retention': 'delete' } }), settings())).toThrow(
      'metadata.annotations["qhc.dev/volume-retention"]: must be Retain or Delete, got "delete"',
    );
  });

  it('is deterministic: the same input gives equal objects with sorted keys', () => {
    expect(buildClusterObjects(cluster(id), settings())).toEqual(objects);
    const sts = find(objects, 'StatefulSet');
    expect(Object.keys(sts)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(Object.keys(sts.spec)).toEqual(Object.keys(sts.spec).toSorted());
  });
});

describe('buildClusterObjects: pods, volumes and keys', () => {
  it('runs the StatefulSet the way Qdrant needs', () => {
    const sts = find(objects, 'StatefulSet');
    expect(sts.spec).toMatchObject({
      replicas: 3,
      serviceName: `qdrant-headless-${id}`,
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: { app: 'qdrant', 'cluster-id': id } },
    });
    const container = sts.spec.template.spec.containers[0];
    expect(container.image).toBe('qdrant/qdrant:v1.12.4');
    expect(container.ports.map((p: { containerPort: number }) => p.containerPort)).toEqual([6333, 6334, 6335]);
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.livenessProbe.httpGet.path).toBe('/livez');
    expect(container.resources).toEqual({ limits: { cpu: '2', memory: '8Gi' }, requests: { cpu: '2', memory: '8Gi' } });
    expect(sts.spec.volumeClaimTemplates.map((t: { metadata: { name: string }; spec: { resources: unknown } }) => [t.metadata.name, t.spec.resources])).toEqual(
      [
        ['qdrant-storage', { requests: { storage: '50Gi' } }],
        ['qdrant-snapshots', { requests: { storage: '50Gi' } }],
      ],
    );
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(sts.spec.template.metadata.annotations['qhc.dev/config-hash']).toMatch(/^[0-9a-f]{16}$/);
  });

  it('bootstraps node 0 and joins the others through it', () => {
    const script: string = find(objects, 'ConfigMap').data['initialize.sh'];
    expect(script).toContain(`exec ./entrypoint.sh --uri "http://qdrant-${id}-0.qdrant-headless-${id}.qdrant:6335"`);
    expect(script).toContain(
      `--bootstrap "http://qdrant-${id}-0.qdrant-headless-${id}.qdrant:6335" --uri "http://qdrant-${id}-"$index".qdrant-headless-${id}.qdrant:6335"`,
    );
    const config = parseYaml(find(objects, 'ConfigMap').data['production.yaml']);
    expect(config).toMatchObject({
      log_level: 'INFO',
      cluster: { enabled: true, p2p: { port: 6335, enable_tls: false } },
      storage: { storage_path: '/qdrant/storage' },
    });
  });

  it('injects API keys from the secrets the cluster names, never their values', () => {
    const withKeys = buildClusterObjects(
      cluster(id, {
        config: {
          service: {
            api_key: { secretKeyRef: { name: 'qdrant-api-key', key: 'api-key' } },
            read_only_api_key: { secretKeyRef: { name: 'qdrant-api-key', key: 'ro' } },
          },
        },
      }),
      settings(),
    );
    const env = find(withKeys, 'StatefulSet').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'QDRANT__SERVICE__API_KEY', valueFrom: { secretKeyRef: { name: 'qdrant-api-key', key: 'api-key' } } });
    expect(env).toContainEqual({ name: 'QDRANT__SERVICE__READ_ONLY_API_KEY', valueFrom: { secretKeyRef: { name: 'qdrant-api-key', key: 'ro' } } });
  });

  it('takes storage classes from the cluster, else the settings, else the cluster default', () => {
    expect(classes(objects)).toEqual([undefined, undefined]);
    const withDefaults = settings('settings:\n  storage:\n    default_storage_class_names:\n      db: fast\n      snapshot: slow\n');
    expect(classes(buildClusterObjects(cluster(id), withDefaults))).toEqual(['fast', 'slow']);
    expect(classes(buildClusterObjects(cluster(id, { storageClassNames: { db: 'mine' } }), withDefaults))).toEqual(['mine', 'slow']);
  });

  it('builds nothing for a suspended cluster (the operator prunes the rest; PVCs stay)', () => {
    expect(buildClusterObjects(cluster(id, { suspend: true }), settings())).toEqual([]);
  });
});

describe('buildClusterObjects: refusals', () => {
  it.each([
    ['an enabled ingress without a host', { ingress: { enabled: true } }, 'spec.ingress.host'],
    ['ingress TLS without a secret', { ingress: { enabled: true, host: 'q.example.com', tls: true } }, 'spec.ingress.tlsSecretName'],
    [
      'source ranges on a ClusterIP service',
      { service: { type: 'ClusterIP', loadBalancerSourceRanges: ['10.0.0.0/8'] } },
      'spec.service.loadBalancerSourceRanges',
    ],
    [
      'a gRPC host without the nginx provider',
      { ingress: { enabled: true, host: 'q.example.com', nginx: { grpcHost: 'g.example.com' } } },
      'spec.ingress.nginx.grpcHost',
    ],
    [
      'nginx source ranges without the nginx provider',
      { ingress: { enabled: true, host: 'q.example.com', nginx: { allowedSourceRanges: ['10.0.0.0/8'] } } },
      'spec.ingress.nginx.allowedSourceRanges',
    ],
    [
      'Traefik entry points without the Traefik provider',
      { ingress: { enabled: true, host: 'q.example.com', traefik: { entryPoints: ['websecure'] } } },
      'spec.ingress.traefik.entryPoints',
    ],
    ['TLS without certificates', { config: { service: { enable_tls: true } } }, 'spec.config.tls'],
  ])('refuses %s, naming the field', (_name, spec, path) => {
    let error: unknown;
    try {
      buildClusterObjects(cluster(id, spec), settings());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as ManifestError).path).toBe(path);
  });
});
