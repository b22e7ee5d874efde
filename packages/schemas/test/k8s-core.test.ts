import { describe, expect, it } from 'vitest';
import {
  Affinity,
  ContainerStatus,
  EnvVar,
  LocalObjectReference,
  NodeSelector,
  PersistentVolumeClaimSpec,
  PullPolicy,
  SecretKeySelector,
  ServiceType,
  Toleration,
  TopologySpreadConstraint,
  VOLUME_SOURCES,
  Volume,
  VolumeMount,
} from '../src/k8s/index.ts';
import { expectOnlyIssue, expectValid, issuesOf } from './zod-issues.ts';

describe('tolerations', () => {
  it('accepts the common shapes', () => {
    expectValid(Toleration, { key: 'dedicated', operator: 'Equal', value: 'qdrant', effect: 'NoSchedule' });
    expectValid(Toleration, { key: 'dedicated', value: 'qdrant' });
    expectValid(Toleration, { operator: 'Exists' });
    expectValid(Toleration, { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
    expectValid(Toleration, { key: 'a', effect: '' });
  });

  it('refuses a value with Exists', () => {
    expectOnlyIssue(Toleration, { key: 'a', operator: 'Exists', value: 'b' }, 'value', /empty when operator is Exists/);
  });

  it('refuses an empty key unless the operator is Exists', () => {
    expectOnlyIssue(Toleration, { operator: 'Equal', value: 'b' }, 'operator', /must be Exists when key is empty/);
  });

  it('refuses tolerationSeconds without NoExecute', () => {
    expectOnlyIssue(Toleration, { key: 'a', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }, 'tolerationSeconds', /NoExecute/);
  });

  it('refuses unknown operators, effects, keys and fields', () => {
    expectOnlyIssue(Toleration, { key: 'a', operator: 'Maybe' }, 'operator', /Exists|Equal/);
    expectOnlyIssue(Toleration, { key: 'a', effect: 'NoWay' }, 'effect', /NoSchedule/);
    expectOnlyIssue(Toleration, { key: 'a b' }, 'key', /invalid key/);
    expect(issuesOf(Toleration, { key: 'a', tolerationSecond: 1 })[0]?.message).toMatch(/tolerationSecond/);
  });
});

describe('env vars', () => {
  it('accepts a value or exactly one source', () => {
    expectValid(EnvVar, { name: 'QDRANT__LOG_LEVEL', value: 'DEBUG' });
    expectValid(EnvVar, { name: 'EMPTY' });
    expectValid(EnvVar, { name: 'K', valueFrom: { secretKeyRef: { name: 's', key: 'k', optional: true } } });
    expectValid(EnvVar, { name: 'K', valueFrom: { configMapKeyRef: { name: 'c', key: 'k.yaml' } } });
    expectValid(EnvVar, { name: 'K', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } });
    expectValid(EnvVar, { name: 'K', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } });
  });

  it('refuses value together with valueFrom', () => {
    expectOnlyIssue(EnvVar, { name: 'K', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, 'valueFrom', /not be set together with value/);
  });

  it('refuses no source or two sources', () => {
    expectOnlyIssue(EnvVar, { name: 'K', valueFrom: {} }, 'valueFrom', /exactly one source/);
    expectOnlyIssue(
      EnvVar,
      { name: 'K', valueFrom: { fieldRef: { fieldPath: 'metadata.name' }, secretKeyRef: { name: 's', key: 'k' } } },
      'valueFrom',
      /exactly one source/,
    );
  });

  it('refuses bad names and references', () => {
    expectOnlyIssue(EnvVar, { name: '1ABC', value: 'x' }, 'name', /environment variable name/);
    expectOnlyIssue(EnvVar, { name: 'K', valueFrom: { secretKeyRef: { name: 'S', key: 'k' } } }, 'valueFrom.secretKeyRef.name', /RFC 1123 subdomain/);
    expectOnlyIssue(
      EnvVar,
      { name: 'K', valueFrom: { secretKeyRef: { name: 's', key: 'a/b' } } },
      'valueFrom.secretKeyRef.key',
      /key of a Secret or ConfigMap/,
    );
    expectOnlyIssue(EnvVar, { name: 'K', valueFrom: { fieldRef: { fieldPath: '' } } }, 'valueFrom.fieldRef.fieldPath', /metadata\.name/);
    expectOnlyIssue(
      EnvVar,
      { name: 'K', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: 'x' } } },
      'valueFrom.resourceFieldRef.divisor',
      /quantity/,
    );
  });

  it('checks Secret key selectors on their own', () => {
    expectValid(SecretKeySelector, { name: 'qdrant-api-key', key: 'api-key' });
    expectOnlyIssue(SecretKeySelector, { name: 'qdrant-api-key' }, 'key', /expected string/);
  });
});

describe('volumes and mounts', () => {
  it('accepts a volume with one source, whatever its fields', () => {
    expectValid(Volume, { name: 'scratch', emptyDir: { sizeLimit: '1Gi', medium: 'Memory' } });
    expectValid(Volume, { name: 'certs', secret: { secretName: 'certs', items: [{ key: 'a', path: 'a' }] } });
  });

  it('refuses a volume without a source or with two', () => {
    expectOnlyIssue(Volume, { name: 'v' }, '', /must name one volume source such as emptyDir/);
    expectOnlyIssue(Volume, { name: 'v', emptyDir: {}, secret: { secretName: 's' } }, '', /found emptyDir, secret/);
  });

  it('refuses unknown sources and bad names', () => {
    expect(
      issuesOf(Volume, { name: 'v', emptyDirr: {} })
        .map((i) => i.message)
        .join(),
    ).toMatch(/emptyDirr/);
    expectOnlyIssue(Volume, { name: 'V', emptyDir: {} }, 'name', /RFC 1123 label/);
  });

  it('knows every core/v1 volume source', () => {
    expect(VOLUME_SOURCES).toContain('persistentVolumeClaim');
    expect(VOLUME_SOURCES).toContain('image');
    expect(new Set(VOLUME_SOURCES).size).toBe(VOLUME_SOURCES.length);
  });

  it('checks mounts', () => {
    expectValid(VolumeMount, { name: 'scratch', mountPath: '/scratch', readOnly: true, mountPropagation: 'HostToContainer', recursiveReadOnly: 'IfPossible' });
    expectOnlyIssue(VolumeMount, { name: 'scratch', mountPath: 'scratch' }, 'mountPath', /absolute path/);
    expectOnlyIssue(VolumeMount, { name: 'scratch', mountPath: '/s', mountPropagation: 'Both' }, 'mountPropagation', /None/);
  });
});

describe('PersistentVolumeClaimSpec', () => {
  it('accepts a claim with a size', () => {
    expectValid(PersistentVolumeClaimSpec, { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } }, storageClassName: 'fast-ssd' });
  });

  it('requires resources.requests.storage', () => {
    expectOnlyIssue(PersistentVolumeClaimSpec, { accessModes: ['ReadWriteOnce'] }, 'resources.requests.storage', /is required: the size of the volume/);
  });

  it('refuses bad quantities, access modes and class names', () => {
    expectOnlyIssue(PersistentVolumeClaimSpec, { resources: { requests: { storage: 'ten' } } }, 'resources.requests.storage', /quantity/);
    expectOnlyIssue(PersistentVolumeClaimSpec, { resources: { requests: { storage: '-1Gi' } } }, 'resources.requests.storage', /must not be negative/);
    expectOnlyIssue(PersistentVolumeClaimSpec, { accessModes: ['RWO'], resources: { requests: { storage: '1Gi' } } }, 'accessModes[0]', /ReadWriteOnce/);
    expectOnlyIssue(PersistentVolumeClaimSpec, { storageClassName: 'Fast', resources: { requests: { storage: '1Gi' } } }, 'storageClassName', /RFC 1123/);
    expectOnlyIssue(PersistentVolumeClaimSpec, { volumeMode: 'Raw', resources: { requests: { storage: '1Gi' } } }, 'volumeMode', /Filesystem|Block/);
  });
});

describe('topology spread constraints', () => {
  const zone = { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' };

  it('accepts a full constraint', () => {
    expectValid(TopologySpreadConstraint, {
      ...zone,
      labelSelector: { matchLabels: { app: 'qdrant' } },
      minDomains: 3,
      matchLabelKeys: ['pod-template-hash'],
      nodeAffinityPolicy: 'Honor',
      nodeTaintsPolicy: 'Ignore',
    });
  });

  it.each([
    [{ maxSkew: 0 }, 'maxSkew', /at least 1/],
    [{ minDomains: 0 }, 'minDomains', /at least 1/],
    [{ whenUnsatisfiable: 'Never' }, 'whenUnsatisfiable', /DoNotSchedule|ScheduleAnyway/],
    [{ whenUnsatisfiable: 'ScheduleAnyway', minDomains: 2 }, 'minDomains', /only be set when whenUnsatisfiable is DoNotSchedule/],
    [{ matchLabelKeys: ['pod-template-hash'] }, 'matchLabelKeys', /needs a labelSelector/],
    [{ topologyKey: 'a/b/c' }, 'topologyKey', /invalid key/],
    [{ nodeTaintsPolicy: 'honor' }, 'nodeTaintsPolicy', /Honor|Ignore/],
  ] as const)('refuses %j', (change, path, message) => {
    expectOnlyIssue(TopologySpreadConstraint, { ...zone, ...change }, path, message);
  });

  it('requires maxSkew, topologyKey and whenUnsatisfiable', () => {
    expect(
      issuesOf(TopologySpreadConstraint, {})
        .map((i) => i.path)
        .toSorted(),
    ).toEqual(['maxSkew', 'topologyKey', 'whenUnsatisfiable']);
  });
});

describe('small shapes', () => {
  it('checks enums', () => {
    expect(PullPolicy.options).toEqual(['Always', 'IfNotPresent', 'Never']);
    expect(ServiceType.options).toEqual(['ClusterIP', 'NodePort', 'LoadBalancer']);
    expectOnlyIssue(ServiceType, 'ExternalName', '', /ClusterIP/);
  });

  it('checks node selectors as labels', () => {
    expectValid(NodeSelector, { 'node.kubernetes.io/instance-type': 'm7i.large' });
    expectOnlyIssue(NodeSelector, { zone: 'x'.repeat(64) }, 'zone', /63/);
  });

  it('checks local object references', () => {
    expectValid(LocalObjectReference, { name: 'registry-credentials' });
    expectOnlyIssue(LocalObjectReference, { name: '' }, 'name', /RFC 1123/);
  });

  it('passes affinity terms through but refuses unknown affinity kinds', () => {
    expectValid(Affinity, { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } }, podAntiAffinity: {} });
    expect(issuesOf(Affinity, { nodeAfinity: {} })[0]?.message).toMatch(/nodeAfinity/);
  });

  it('reads container statuses with fields it does not list', () => {
    const status = { name: 'qdrant', ready: true, restartCount: 2, allocatedResources: { cpu: '1' }, user: { linux: { uid: 1000 } } };
    const result = ContainerStatus.safeParse(status);
    expect(result.success && result.data).toEqual(status);
    expectOnlyIssue(ContainerStatus, { ready: true }, 'name', /expected string/);
  });
});
