import { describe, expect, it } from 'vitest';
import { buildClusterObjects, rebalanceStrategyOf, usesClusterManager, type KubeObject } from '../src/index.ts';
import { cluster, settings, type Loose } from './fixtures.ts';

// What the fields that used to be accepted and ignored now do (fields-used.test.ts proves
// each changes the output; these say how).

const ID = 'c1';
const find = (objects: KubeObject[], kind: string, name?: string) =>
  objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name)) as (KubeObject & { spec: Loose; data: Loose }) | undefined;

const script = (annotations: Record<string, string>) =>
  find(buildClusterObjects(cluster(ID, {}, { annotations }), settings()), 'ConfigMap')!.data['initialize.sh'] as string;
const traefik = (spec: Record<string, unknown>, more = '') =>
  buildClusterObjects(
    cluster(ID, { ingress: { enabled: true, host: 'q.example.com', ...spec } }),
    settings(`settings:\n  ingress:\n    provider: QdrantCloudTraefik\n${more}`),
  );

describe('multiAZ', () => {
  it('spreads the pods over zones as a preference (a pod whose volume sits in one zone is never left Pending), and routes clients within their zone', () => {
    const objects = buildClusterObjects(cluster(ID, { multiAZ: true }), settings());
    expect(find(objects, 'StatefulSet')!.spec.template.spec.topologySpreadConstraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { app: 'qdrant', 'cluster-id': ID } },
      },
    ]);
    expect(find(objects, 'Service', `qdrant-${ID}`)!.spec.trafficDistribution).toBe('PreferClose');
  });

  it("keeps the cluster's own zone constraint instead of adding a second one", () => {
    // The hard rule stays available: a cluster that asks for it gets it.
    const own = { maxSkew: 2, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' };
    const objects = buildClusterObjects(cluster(ID, { multiAZ: true, topologySpreadConstraints: [own] }), settings());
    expect(find(objects, 'StatefulSet')!.spec.template.spec.topologySpreadConstraints).toEqual([
      { ...own, labelSelector: { matchLabels: { app: 'qdrant', 'cluster-id': ID } } },
    ]);
  });
});

describe('the reinit and bootstrap-node annotations', () => {
  it('bootstrap-node makes that node start the cluster and the others join through it', () => {
    const text = script({ 'operator.qdrant.com/bootstrap-node': '2' });
    expect(text).toContain('if [ "$index" = "2" ]; then');
    expect(text).toContain(`--bootstrap "http://qdrant-${ID}-2.qdrant-headless-${ID}.qdrant:6335"`);
    expect(script({})).toContain('if [ "$index" = "0" ]; then');
  });

  it('reinit is refused, naming the annotation and the manual recovery, and no script has --reinit', () => {
    expect(() => cluster(ID, {}, { annotations: { 'operator.qdrant.com/reinit': 'a' } })).toThrow(
      /operator\.qdrant\.com\/reinit is not supported.*manual recovery step.*--reinit/,
    );
    expect(script({})).not.toContain('--reinit');
    expect(script({ 'operator.qdrant.com/bootstrap-node': '2' })).not.toContain('--reinit');
  });
});

describe('the QdrantCloudTraefik provider', () => {
  it('routes the host to the client Service through an IngressRoute, no Ingress', () => {
    const objects = traefik({});
    expect(find(objects, 'Ingress')).toBeUndefined();
    const route = find(objects, 'IngressRoute', `qdrant-${ID}-qhc`)!;
    expect(route.apiVersion).toBe('traefik.io/v1alpha1');
    expect(route.spec).toEqual({ routes: [{ kind: 'Rule', match: 'Host(`q.example.com`)', services: [{ name: `qdrant-${ID}`, port: 6333 }] }] });
  });

  it('takes entry points, TLS and the class from the cluster, else the settings, and source ranges as an ipAllowList Middleware', () => {
    const objects = traefik(
      { tls: true, tlsSecretName: 'q-tls', ingressClassName: 'edge', traefik: { entryPoints: ['websecure'], allowedSourceRanges: ['10.0.0.0/8'] } },
      '    qdrantCloudTraefik:\n      entryPoints: [web]\n',
    );
    const route = find(objects, 'IngressRoute')!;
    expect(route.spec.entryPoints).toEqual(['websecure']);
    expect(route.spec.tls).toEqual({ secretName: 'q-tls' });
    expect(route.metadata.annotations).toMatchObject({ 'kubernetes.io/ingress.class': 'edge' });
    expect(route.spec.routes[0].middlewares).toEqual([{ name: `qdrant-${ID}-qhc-allowlist` }]);
    expect(find(objects, 'Middleware', `qdrant-${ID}-qhc-allowlist`)!.spec).toEqual({ ipAllowList: { sourceRange: ['10.0.0.0/8'] } });
    const defaults = find(traefik({}, '    qdrantCloudTraefik:\n      entryPoints: [web]\n      tls: true\n      secretName: wildcard\n'), 'IngressRoute')!;
    expect(defaults.spec.entryPoints).toEqual(['web']);
    expect(defaults.spec.tls).toEqual({ secretName: 'wildcard' });
  });
});

describe("the cluster manager's region default", () => {
  it("applies where the cluster says nothing; the cluster's fields win", () => {
    const on = settings('settings:\n  clusterManager:\n    enable: true\n    rebalanceStrategy: by_count\n');
    expect(usesClusterManager(cluster(ID), settings())).toBe(false);
    expect(usesClusterManager(cluster(ID), on)).toBe(true);
    expect(usesClusterManager(cluster(ID, { clusterManager: false }), on)).toBe(false);
    expect(rebalanceStrategyOf(cluster(ID), on)).toBe('by_count');
    expect(rebalanceStrategyOf(cluster(ID, { rebalanceStrategy: 'by_size' }), on)).toBe('by_size');
    expect(rebalanceStrategyOf(cluster(ID), settings())).toBe('disabled');
  });
});
