import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildClusterObjects, type KubeObject } from '../src/index.ts';
import { SEED_NETWORK_POLICY_SETTINGS, cluster, settings, type Loose } from './fixtures.ts';

// The seed (the Hybrid Cloud documentation) shows hand-written Service, Ingress and
// NetworkPolicy YAML for cluster 9a9f48c7-…; for the matching inputs ours must do the same.

const ID = '9a9f48c7-bb90-4fb2-816f-418a46a74b24';
const NS = 'qdrant-namespace';

const SEED_LB = parseYaml(`
apiVersion: v1
kind: Service
metadata:
  name: qdrant-${ID}-lb
  namespace: qdrant-namespace
spec:
  type: LoadBalancer
  ports:
  - port: 6333
  - port: 6334
  selector:
    app: qdrant
    cluster-id: ${ID}
`);

const SEED_INGRESS = parseYaml(`
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: qdrant-${ID}
  namespace: qdrant-namespace
spec:
    rules:
    - host: qdrant-${ID}.your-domain.com
      http:
        paths:
        - path: /
          pathType: Prefix
          backend:
            service:
              name: qdrant-${ID}
              port:
                number: 6333
`);

/** The seed's "deploy additional network policies on your own" example. */
export const SEED_NETWORK_POLICY = parseYaml(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: qdrant-${ID}
  namespace: qdrant-namespace
spec:
  podSelector:
    matchLabels:
      app: qdrant
      cluster-id: ${ID}
  policyTypes:
    - Ingress
  ingress:
    - from:
        - ipBlock:
            cidr: 192.168.0.0/22
        - podSelector:
            matchLabels:
              app: client-app
          namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: client-namespace
        - podSelector:
            matchLabels:
              app: traefik
          namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
      ports:
      - protocol: TCP
        port: 6333
      - protocol: TCP
        port: 6334
`);

const SEED_SETTINGS = SEED_NETWORK_POLICY_SETTINGS;

const byKind = (objects: KubeObject[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name) as KubeObject & { spec: Loose };

describe("the seed's examples", () => {
  it("the client Service of a LoadBalancer cluster selects and exposes what the seed's LB Service does", () => {
    const objects = buildClusterObjects(cluster(ID, { service: { type: 'LoadBalancer' } }, { namespace: NS }), settings());
    const service = byKind(objects, 'Service', `qdrant-${ID}`);
    expect(service.metadata.namespace).toBe(SEED_LB.metadata.namespace);
    expect(service.spec.type).toBe(SEED_LB.spec.type);
    expect(service.spec.selector).toEqual(SEED_LB.spec.selector);
    expect(service.spec.ports.map((p: { port: number }) => p.port)).toEqual(SEED_LB.spec.ports.map((p: { port: number }) => p.port));
  });

  it("the Ingress routes the host to the client Service on 6333, as the seed's does", () => {
    const objects = buildClusterObjects(cluster(ID, { ingress: { enabled: true, host: `qdrant-${ID}.your-domain.com` } }, { namespace: NS }), settings());
    const ingress = byKind(objects, 'Ingress', `qdrant-${ID}-qhc`);
    expect(ingress.metadata.namespace).toBe(NS);
    expect(ingress.spec.rules).toEqual(SEED_INGRESS.spec.rules);
  });

  it("the settings' network policy rules reach the cluster's policy, with the seed's defaults", () => {
    const objects = buildClusterObjects(cluster(ID, {}, { namespace: NS }), settings(SEED_SETTINGS));
    const policy = byKind(objects, 'NetworkPolicy', `qdrant-${ID}-qhc`);
    expect(policy.spec.podSelector).toEqual({ matchLabels: { app: 'qdrant', 'cluster-id': ID } });
    const seedRule = parseYaml(SEED_SETTINGS).settings.qdrant.networkPolicies.ingress[0];
    expect(policy.spec.ingress).toContainEqual(seedRule);
    // Peers reach each other on p2p; DNS egress to kube-system stays (the seed's one active rule).
    expect(policy.spec.ingress[0]).toEqual({
      from: [{ podSelector: { matchLabels: { app: 'qdrant', 'cluster-id': ID } } }],
      ports: [
        { protocol: 'TCP', port: 6335 },
        { protocol: 'TCP', port: 6333 },
        { protocol: 'TCP', port: 6334 },
      ],
    });
    expect(policy.spec.egress).toContainEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
      ports: [{ protocol: 'UDP', port: 53 }],
    });
  });
});

describe('names users write, following the seed', () => {
  const userObjects = [SEED_LB, SEED_INGRESS, SEED_NETWORK_POLICY].map((o) => `${o.kind}/${o.metadata.name}`);
  const providers = ['KubernetesIngress', 'NginxIngress', 'QdrantCloudTraefik'];
  const variants: Array<[string, Record<string, unknown>, string?]> = [
    ['defaults', {}],
    ['a LoadBalancer, one node per Service', { service: { type: 'LoadBalancer' }, size: 5 }],
    ['an ingress', { ingress: { enabled: true, host: `qdrant-${ID}.your-domain.com` } }],
    ['an nginx gRPC ingress', { ingress: { enabled: true, host: 'a.example.com', nginx: { grpcHost: 'g.example.com' } } }, 'NginxIngress'],
    [
      'a Traefik route with source ranges',
      { ingress: { enabled: true, host: 'a.example.com', traefik: { allowedSourceRanges: ['10.0.0.0/8'] } } },
      'QdrantCloudTraefik',
    ],
  ];
  const cases = providers.flatMap((p) => variants.filter(([, , only]) => !only || only === p).map(([name, spec]) => [p, name, spec] as const));
  it.each(cases)('%s, %s: no object of the operator takes one', (provider, _name, spec) => {
    const objects = buildClusterObjects(cluster(ID, spec, { namespace: NS }), settings(`settings:\n  ingress:\n    provider: ${provider}\n`));
    expect(objects.length).toBeGreaterThan(5);
    for (const object of objects) expect(userObjects).not.toContain(`${object.kind}/${object.metadata.name}`);
  });
});
