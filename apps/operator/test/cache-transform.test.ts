// The cache transform drops every field no reconcile reads; this holds KEPT_FIELDS to the code.
// Each scenario's pass runs twice (creating, then the resync of a converged cluster, where
// applyIfChanged compares every applied field) on cached objects that record each field read,
// and again on transformed cached objects, which must change nothing the pass does.
import { QDRANT_API_VERSION } from '@qhc/schemas';
import type { KubeObject } from '@qhc/kube';
import { describe, expect, it } from 'vitest';
import type { Kind, ObjectCache } from '../src/cache.ts';
import { KEPT_FIELDS, KEPT_METADATA, cacheTransform } from '../src/cache-transform.ts';
import { apiKeyRefs } from '../src/reconcile/api-keys-hash.ts';
import { reconcileCluster } from '../src/reconcile/cluster.ts';
import { PREPARED, SCENARIOS, clusterDeps, clusterObject, healthyStatus } from './steps/cluster-scenarios.ts';
import { FakeKube } from './steps/fake-kube.ts';
import { settle } from './steps/mutations.ts';

const settled = { status: healthyStatus(1) };
const ref = (key: string) => ({ secretKeyRef: { name: 'qdrant-a-api-keys', key } });
const owner = [{ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster', name: 'qdrant-a', uid: 'uid-a', controller: true }];

/** Besides the step scenarios: API keys from a cached Secret, and a legacy-named object others wrote too (released, by managedFields). */
const EXTRA: Record<string, () => KubeObject[]> = {
  'api keys': () => [
    clusterObject({ config: { service: { api_key: ref('api-key') } } }, settled),
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'qdrant-a-api-keys', namespace: 'qdrant', labels: { 'cluster-id': 'a' } },
      data: { 'api-key': 'a2V5' },
    },
  ],
  'legacy release': () => [
    clusterObject({}, settled),
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        name: 'qdrant-a',
        namespace: 'qdrant',
        labels: { 'cluster-id': 'a', 'app.kubernetes.io/managed-by': 'qhc-operator' },
        ownerReferences: owner,
        managedFields: [
          { manager: 'qhc-operator', operation: 'Apply', fieldsV1: { 'f:spec': {} } },
          { manager: 'kubectl', operation: 'Update', fieldsV1: { 'f:spec': {} } },
        ],
      },
      spec: { podSelector: {} },
    },
  ],
};
const ALL = { ...SCENARIOS, ...EXTRA };

/** A deep read-recording view: every property read, as a dot path from the object's root (list items share their list's path). */
function recording<T extends object>(value: T, path: string, reads: Set<string>): T {
  return new Proxy(value, {
    get(target, key, receiver) {
      const child = Reflect.get(target, key, receiver) as unknown;
      if (typeof key === 'symbol' || (Array.isArray(target) && (key === 'length' || /^\d+$/.test(key)))) {
        return child !== null && typeof child === 'object' ? recording(child, path, reads) : child;
      }
      if (typeof child === 'function') return child;
      const at = path ? `${path}.${key}` : key;
      reads.add(at);
      return child !== null && typeof child === 'object' ? recording(child, at, reads) : child;
    },
    has(target, key) {
      if (typeof key === 'string' && !Array.isArray(target)) reads.add(path ? `${path}.${key}` : key);
      return Reflect.has(target, key);
    },
  });
}

function wrappedCache(inner: ObjectCache, wrap: (object: KubeObject) => KubeObject): ObjectCache {
  return {
    get: <T extends KubeObject>(kind: Kind, namespace: string | undefined, name: string) => {
      const found = inner.get(kind, namespace, name);
      return (found ? wrap(found) : undefined) as T | undefined;
    },
    list: <T extends KubeObject>(kind: Kind, namespace: string | undefined, labels: Record<string, string>) =>
      inner.list(kind, namespace, labels).map(wrap) as T[],
  };
}

/** Two passes of a scenario (the second a resync), the cache's objects seen through `wrap`; what they did. */
async function twoPasses(name: string, wrap: (object: KubeObject) => KubeObject): Promise<string> {
  const kube = new FakeKube(ALL[name]!());
  const deps = { ...clusterDeps(kube, PREPARED[name]), cache: wrappedCache(kube.cache, wrap) };
  const first = await settle(() => reconcileCluster(deps, 'qdrant/qdrant-a'));
  const second = await settle(() => reconcileCluster(deps, 'qdrant/qdrant-a'));
  return JSON.stringify({ first, second, journal: kube.journal, statuses: kube.statuses, events: kube.events }, null, 2);
}

/** A read of `path` stays possible: it is under a kept path, or on the way to one. */
function kept(kind: string, path: string): boolean {
  const paths = ['apiVersion', 'kind', ...KEPT_METADATA.map((m) => `metadata.${m}`), 'metadata.managedFields.manager', 'metadata.managedFields.subresource'];
  const all = [...paths, ...(KEPT_FIELDS[kind] ?? [])];
  return all.some((k) => path === k || path.startsWith(`${k}.`) || k.startsWith(`${path}.`));
}

describe('the cache transform keeps every field a reconcile reads', () => {
  for (const name of Object.keys(ALL)) {
    it(`${name}: no step reads a field the transform drops`, async () => {
      const reads = new Map<string, Set<string>>();
      await twoPasses(name, (object) => {
        const seen = reads.get(object.kind) ?? new Set<string>();
        reads.set(object.kind, seen);
        return recording(object, '', seen);
      });
      // Passes that stop before the cache is read: an invalid spec, a deleted cluster.
      if (!name.includes('invalid')) expect(reads.size, 'the scenario reads cached objects').toBeGreaterThan(0);
      const dropped = [...reads].flatMap(([kind, paths]) => [...paths].filter((p) => !kept(kind, p)).map((p) => `${kind} ${p}`));
      expect(dropped).toEqual([]);
    });

    it(`${name}: transformed cached objects change nothing the passes do`, async () => {
      const whole = await twoPasses(name, (object) => object);
      const transformed = await twoPasses(name, (object) => cacheTransform(object.kind)(structuredClone(object)));
      expect(transformed).toEqual(whole);
    });
  }

  it('drops managedFields but their managers, status where unread, and the pod spec but its images', () => {
    const pod = cacheTransform('Pod')({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'n', creationTimestamp: 'x', managedFields: [{ manager: 'kubelet', subresource: 'status', fieldsV1: {} }] },
      spec: { containers: [{ name: 'qdrant', image: 'q:1', env: [{ name: 'A', value: 'b' }] }], nodeName: 'n1' },
      status: { phase: 'Running', podIP: '10.0.0.1', conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null }] },
    } as KubeObject);
    expect(pod).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'n', managedFields: [{ manager: 'kubelet', subresource: 'status' }] },
      spec: { containers: [{ name: 'qdrant', image: 'q:1' }] },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
    });
    const service = cacheTransform('Service')({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: { ports: [] },
      status: { loadBalancer: {} },
    } as KubeObject);
    expect(service).toEqual({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [] } });
  });

  it("keeps a cluster's spec and status whole (a pass reads them from the cache), and its managedFields' managers only", () => {
    const cluster = clusterObject({ config: { service: { api_key: ref('api-key'), read_only_api_key: ref('ro') } } }, settled);
    cluster.metadata.managedFields = [{ manager: 'qhc-operator-status', operation: 'Apply', subresource: 'status', fieldsV1: { 'f:status': {} } }];
    cluster.metadata.creationTimestamp = '2026-01-01T00:00:00Z';
    const slim = cacheTransform('QdrantCluster')(structuredClone(cluster)) as KubeObject & { spec?: unknown; status?: unknown };
    expect(apiKeyRefs(slim as never)).toEqual(apiKeyRefs(cluster as never));
    expect(slim.spec).toEqual((cluster as { spec?: unknown }).spec);
    expect(slim.status).toEqual((cluster as { status?: unknown }).status);
    expect(slim.metadata).toEqual({ ...cluster.metadata, managedFields: [{ manager: 'qhc-operator-status', subresource: 'status' }] });
  });
});
