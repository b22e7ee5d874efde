import { defaultOperatorSettings, parseOperatorSettings, type OperatorSettings, type QdrantCluster } from '@qhc/schemas';
import { parsedQdrantClusterFixture } from '@qhc/schemas/test';

export const NAMESPACE = 'qdrant';
export const UID = '0b7c9f3e-1111-4222-8333-944455556666';

/** A valid QdrantCluster, through our own parser (defaults applied): three nodes of 2 CPUs, 8Gi, 50Gi, with extra spec fields. */
export function cluster(
  id: string,
  spec: Record<string, unknown> = {},
  options: { namespace?: string; annotations?: Record<string, string> } = {},
): QdrantCluster {
  const defaults = { size: 3, resources: { cpu: '2', memory: '8Gi', storage: '50Gi' } };
  return parsedQdrantClusterFixture(id, { ...defaults, ...spec }, { namespace: options.namespace ?? NAMESPACE, uid: UID, annotations: options.annotations });
}

export function settings(text?: string): OperatorSettings {
  return text ? parseOperatorSettings(text) : defaultOperatorSettings();
}

/**
 * Tests walk deep into built objects; typing every level would be longer than the checks.
 */
// oxlint-disable-next-line typescript/no-explicit-any
export type Loose = any;

/** The seed's operator-settings example of custom network policy rules (Hybrid Cloud docs). */
export const SEED_NETWORK_POLICY_SETTINGS = `settings:
  qdrant:
    networkPolicies:
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
        - port: 6333
          protocol: TCP
        - port: 6334
          protocol: TCP
`;
