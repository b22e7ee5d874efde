// The QdrantCloudTraefik ingress provider renders a Traefik IngressRoute. Where Traefik's
// CRDs are not installed the cluster says so (condition and event) and is retried under
// the work queue's backoff, with no crash; once they are, the route appears.
import { waitFor } from '@qhc/kube-sandbox';
import type { KubeObject } from '@qhc/kube';
import { describe, expect, it } from 'vitest';
import { useOperator } from './support/harness.ts';

const h = useOperator('traefik', '  ingress:\n    provider: QdrantCloudTraefik\n');

/**
 * Traefik's two CRDs, reduced to their identity: the operator needs the kinds served, and
 * what Traefik does with a route is Traefik's business (no Traefik runs in the sandbox).
 */
const traefikCrd = (kind: string, plural: string): KubeObject => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.traefik.io` },
  spec: {
    group: 'traefik.io',
    scope: 'Namespaced',
    names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
    versions: [
      { name: 'v1alpha1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
    ],
  },
});

const ROUTE = { apiVersion: 'traefik.io/v1alpha1', kind: 'IngressRoute' };

describe('the QdrantCloudTraefik provider', () => {
  it("without Traefik's CRDs: a clear reason and event, the rest applied, no crash; with them: the route", async () => {
    const id = 'tr';
    await h.client.apply(h.clusterObject(id, { ingress: { enabled: true, host: 'tr.example.com', traefik: { entryPoints: ['websecure'] } } }));
    const failed = await h.waitFor(id, 'the missing CRD reported', (c) => c.status?.reason?.startsWith('IngressRouteNotServed') === true);
    expect(failed.status?.reason).toMatch(/does not serve traefik\.io\/v1alpha1 IngressRoute; install Traefik/);
    expect(failed.status?.conditions?.find((c) => c.type === 'Degraded')?.status).toBe('True');
    await h.events(id, (es) => es.some((e) => e.type === 'Warning' && e.reason === 'IngressRouteNotServed'));
    // Everything else was applied before the route: the database runs regardless.
    expect(await h.client.get({ apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: h.sandbox.namespace, name: `qdrant-${id}` })).toBeDefined();
    expect(h.operator.isLeader()).toBe(true);

    for (const [kind, plural] of [
      ['IngressRoute', 'ingressroutes'],
      ['Middleware', 'middlewares'],
    ] as const) {
      await h.client.apply(traefikCrd(kind, plural), { fieldManager: 'traefik-installer' });
    }
    const route = await waitFor(
      'the IngressRoute',
      () =>
        h.client
          .get<KubeObject & { spec: { entryPoints: string[]; routes: Array<{ match: string }> } }>({
            ...ROUTE,
            namespace: h.sandbox.namespace,
            name: `qdrant-${id}-qhc`,
          })
          .catch(() => undefined),
      { timeoutMs: 60_000 },
    );
    expect(route.spec.entryPoints).toEqual(['websecure']);
    expect(route.spec.routes[0]?.match).toBe('Host(`tr.example.com`)');
    await h.waitFor(id, 'Healthy', (c) => c.status?.phase === 'Healthy');

    await h.client.patch(h.ref(id), { spec: { ingress: { enabled: false } } });
    await waitFor(
      'the IngressRoute pruned',
      async () => ((await h.client.get({ ...ROUTE, namespace: h.sandbox.namespace, name: `qdrant-${id}-qhc` })) ? undefined : true),
      { timeoutMs: 60_000 },
    );
  });
});
