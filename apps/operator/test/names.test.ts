// Names users write, following the Hybrid Cloud docs (the seed): a LoadBalancer Service
// `qdrant-<id>-lb`, an Ingress and a NetworkPolicy `qdrant-<id>`. The operator's own objects
// must never take them, and clusters an earlier operator made (its NetworkPolicy and
// Ingress were `qdrant-<id>`) move to the new names with the pods never unprotected.
import { waitFor } from '@qhc/kube-sandbox';
import { Informer, type KubeObject } from '@qhc/kube';
import { buildClusterObjects } from '@qhc/manifests';
import { defaultOperatorSettings, validateQdrantCluster } from '@qhc/schemas';
import { describe, expect, it } from 'vitest';
import { FIELD_MANAGER } from '../src/index.ts';
import { removeOrRelease } from '../src/reconcile/remove-owned.ts';
import { useOperator, withReasons, type Cluster } from './support/harness.ts';

const h = useOperator('names');
const USER = 'kubectl-client-side-apply';
const healthy = (c: Cluster) => c.status?.phase === 'Healthy';
const NETPOL = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' };

/**
 * The seed's examples for cluster `id`, transcribed field for field, but for the namespace
 * and the Service's port names (Kubernetes requires names when a Service has several ports).
 */
function seedObjects(id: string, namespace: string): KubeObject[] {
  const pods = { app: 'qdrant', 'cluster-id': id };
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `qdrant-${id}-lb`, namespace },
      spec: {
        type: 'LoadBalancer',
        ports: [
          { port: 6333, name: 'http' },
          { port: 6334, name: 'grpc' },
        ],
        selector: pods,
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: `qdrant-${id}`, namespace },
      spec: {
        rules: [
          {
            host: `qdrant-${id}.your-domain.com`,
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: `qdrant-${id}`, port: { number: 6333 } } } }] },
          },
        ],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `qdrant-${id}`, namespace },
      spec: {
        podSelector: { matchLabels: pods },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              { ipBlock: { cidr: '192.168.0.0/22' } },
              {
                podSelector: { matchLabels: { app: 'client-app' } },
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'client-namespace' } },
              },
              { podSelector: { matchLabels: { app: 'traefik' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } },
            ],
            ports: [
              { protocol: 'TCP', port: 6333 },
              { protocol: 'TCP', port: 6334 },
            ],
          },
        ],
      },
    },
  ];
}

const refOf = (o: KubeObject) => ({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name! });
/** What a user would see change: the resourceVersion and everything but server bookkeeping. */
const snapshot = (o: KubeObject | undefined) => {
  if (!o) return undefined;
  const { managedFields: _m, ...metadata } = o.metadata;
  return JSON.stringify({ ...o, metadata, status: undefined });
};

/** Waits for `count` more successful reconcile passes, each started by a change of an annotation the operator does not act on. */
const passes = () => h.operator.metrics.reconciles.get({ kind: 'QdrantCluster', result: 'success' });

async function reconcileTimes(id: string, count: number): Promise<void> {
  for (let i = 1; i <= count; i++) {
    const before = passes();
    await h.client.patch(h.ref(id), { metadata: { annotations: { 'example.com/poke': String(i) } } });
    await waitFor(`reconcile pass ${i} of qdrant-${id}`, async () => (passes() > before ? true : undefined), { timeoutMs: 30_000, intervalMs: 50 });
  }
}

describe('names users write', () => {
  it("the seed's LoadBalancer Service, Ingress and NetworkPolicy survive 10 reconciles unchanged, and qhc's own policy selects the pods", async () => {
    const id = '9a9f48c7-bb90-4fb2-816f-418a46a74b24';
    const namespace = h.sandbox.namespace;
    const docs = seedObjects(id, namespace);
    for (const doc of docs) await h.client.apply(doc, { fieldManager: USER });
    await h.client.apply(h.clusterObject(id, { size: 2, ingress: { enabled: true, host: `qdrant-${id}.qhc.example.com` } }));
    await h.waitFor(id, 'Healthy', healthy);
    const before = await Promise.all(docs.map((d) => h.client.get(refOf(d))));
    await reconcileTimes(id, 10);
    const after = await Promise.all(docs.map((d) => h.client.get(refOf(d))));
    for (const [i, doc] of docs.entries()) {
      expect(after[i]?.metadata.resourceVersion, `${doc.kind}/${doc.metadata.name}`).toBe(before[i]?.metadata.resourceVersion);
      expect(snapshot(after[i])).toBe(snapshot(before[i]));
      expect(after[i]!.metadata.ownerReferences, 'no owner: it would go with the cluster').toBeUndefined();
      // Still what the user wrote (the apiserver adds defaults, nothing replaces it).
      expect(after[i]!.spec, `${doc.kind}/${doc.metadata.name}`).toMatchObject(doc.spec as object);
    }
    const policy = await h.client.get<KubeObject & { spec: { podSelector: { matchLabels: Record<string, string> }; policyTypes: string[] } }>({
      ...NETPOL,
      namespace,
      name: `qdrant-${id}-qhc`,
    });
    expect(policy?.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    const pods = await h.pods(id);
    expect(pods).toHaveLength(2);
    for (const pod of pods) expect(pod.metadata.labels).toMatchObject(policy!.spec.podSelector.matchLabels);
    expect(await h.client.get({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespace, name: `qdrant-${id}-qhc` })).toBeDefined();
  });
});

/**
 * What an earlier operator left: its NetworkPolicy under the old name `qdrant-<id>`, with
 * qhc's labels and owner reference, applied under qhc's field manager (the builders' policy
 * of today, renamed, is the same object).
 */
function legacyPolicy(cluster: Cluster): KubeObject {
  const parsed = validateQdrantCluster({ ...cluster, status: undefined });
  const policy = buildClusterObjects(parsed, defaultOperatorSettings()).find((o) => o.kind === 'NetworkPolicy')!;
  return { ...policy, metadata: { ...policy.metadata, name: `qdrant-${cluster.spec.id}` } };
}

/** A paused cluster: the operator leaves it alone (ManualMaintenance) until the pause goes. */
async function pausedCluster(id: string): Promise<Cluster> {
  await h.client.apply(h.clusterObject(id, { pauses: [{ owner: 'test', reason: "set up an older operator's objects" }] }));
  return h.waitFor(id, 'ManualMaintenance', (c) => c.status?.phase === 'ManualMaintenance');
}

/** Every NetworkPolicy event in the namespace, in the apiserver's order. */
async function watchPolicies() {
  const events: Array<{ type: 'add' | 'delete'; name: string; resourceVersion: number }> = [];
  const informer = new Informer(h.client, { ...NETPOL, namespace: h.sandbox.namespace });
  const push = (type: 'add' | 'delete') => (o: KubeObject) =>
    events.push({ type, name: o.metadata.name!, resourceVersion: Number(o.metadata.resourceVersion) });
  informer.on({ add: push('add'), delete: push('delete') });
  informer.start();
  await informer.waitForSync();
  return { events, stop: () => informer.stop() };
}

describe('clusters an earlier operator made', () => {
  it('move to the new policy name: the new policy exists before the old one is deleted', async () => {
    const id = 'legacy-policy';
    const cluster = await pausedCluster(id);
    await h.client.apply(legacyPolicy(cluster), { fieldManager: FIELD_MANAGER });
    const watch = await watchPolicies();
    try {
      await h.client.patch(h.ref(id), { spec: { pauses: null } });
      await waitFor('the old policy deleted', async () => (watch.events.some((e) => e.type === 'delete' && e.name === `qdrant-${id}`) ? true : undefined), {
        timeoutMs: 60_000,
      });
      const created = watch.events.find((e) => e.type === 'add' && e.name === `qdrant-${id}-qhc`);
      const deleted = watch.events.find((e) => e.type === 'delete' && e.name === `qdrant-${id}`)!;
      expect(created, 'the new policy was created').toBeDefined();
      // The apiserver's order: a watch delivers events by resourceVersion, and both say so.
      expect(watch.events.indexOf(created!)).toBeLessThan(watch.events.indexOf(deleted));
      expect(created!.resourceVersion).toBeLessThan(deleted.resourceVersion);
    } finally {
      await watch.stop();
    }
    await h.waitFor(id, 'Healthy', healthy);
  });

  it("leave a user's policy of the old name in place, only without qhc's fields, when an earlier operator had applied over it", async () => {
    const id = 'legacy-user';
    const namespace = h.sandbox.namespace;
    const cluster = await pausedCluster(id);
    const user = seedObjects(id, namespace).find((o) => o.kind === 'NetworkPolicy')!;
    await h.client.apply(user, { fieldManager: USER });
    // The earlier operator's server-side apply with force took the object over.
    await h.client.apply(legacyPolicy(cluster), { fieldManager: FIELD_MANAGER, force: true });
    await h.client.patch(h.ref(id), { spec: { pauses: null } });
    await h.waitFor(id, 'Healthy', healthy);
    const released = await waitFor(
      "qhc's fields released",
      async () => {
        const o = await h.client.get<KubeObject & { spec: { podSelector: unknown } }>({ ...NETPOL, namespace, name: `qdrant-${id}` });
        return o && !o.metadata.ownerReferences ? o : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(released.metadata.labels?.['app.kubernetes.io/managed-by']).toBeUndefined();
    expect(released.spec.podSelector).toEqual(user.spec && (user.spec as { podSelector: unknown }).podSelector);
    expect(await h.client.get({ ...NETPOL, namespace, name: `qdrant-${id}-qhc` })).toBeDefined();
    expect((await h.events(id, withReasons('Released'))).map((e) => e.reason)).toContain('Released');
  });
});

describe("objects under qhc's own names", () => {
  it("an annotated qhc Ingress is deleted, not released, when the cluster's ingress is disabled", async () => {
    const id = 'annotated-ingress';
    const namespace = h.sandbox.namespace;
    const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespace, name: `qdrant-${id}-qhc` };
    await h.client.apply(h.clusterObject(id, { ingress: { enabled: true, host: `qdrant-${id}.qhc.example.com` } }));
    await h.waitFor(id, 'Healthy', healthy);
    // Another field manager touches it (kubectl annotate): an empty apply would be refused (an Ingress needs rules).
    await h.client.apply(
      { apiVersion: ingress.apiVersion, kind: ingress.kind, metadata: { name: ingress.name, namespace, annotations: { 'example.com/note': 'x' } } },
      { fieldManager: USER },
    );
    await h.client.patch(h.ref(id), { spec: { ingress: { enabled: false } } });
    await waitFor('the qhc Ingress deleted', async () => ((await h.client.get(ingress)) === undefined ? true : undefined), { timeoutMs: 60_000 });
    expect((await h.events(id)).map((e) => e.reason)).not.toContain('ReleaseFailed');
  });

  it('a release of an object deleted since it was listed creates nothing', async () => {
    const namespace = h.sandbox.namespace;
    const name = 'qdrant-vanished';
    const ref = { ...NETPOL, namespace, name };
    await h.client.apply({ ...NETPOL, metadata: { name, namespace, labels: { a: 'b' } }, spec: { podSelector: {} } }, { fieldManager: USER });
    await h.client.apply({ ...NETPOL, metadata: { name, namespace, labels: { c: 'd' } } }, { fieldManager: FIELD_MANAGER });
    const listed = (await h.client.get(ref))!;
    await h.client.delete(ref);
    await waitFor('the policy gone', async () => ((await h.client.get(ref)) === undefined ? true : undefined));
    const result = await removeOrRelease(h.client, { ...listed, ...NETPOL }, FIELD_MANAGER, true);
    expect(result.outcome).toBe('release-failed');
    expect(await h.client.get(ref)).toBeUndefined();
  });
});
