import * as z from 'zod';
import {
  NetworkPolicyEgressRule,
  NetworkPolicyIngressRule,
  NodeSelector,
  PodDisruptionBudgetSpec,
  PullPolicy,
  Toleration,
  TopologySpreadConstraint,
  dns1123Subdomain,
} from '../k8s/index.ts';
import { createParser } from '../parse/index.ts';
import { RebalanceStrategy } from '../crds/qdrant-cluster.ts';

// The Hybrid Cloud operator configuration, key for key as the seed documents it
// (../shared/seed/hybrid-cloud.md, "Operator configuration"), with the seed's values as
// defaults, including the keys the seed shows commented out. Timeouts are seconds.

const seconds = (what: string) =>
  z
    // Only a fractional number gets the custom message; other types keep "expected an integer, got …".
    .int({ error: (issue) => (typeof issue.input === 'number' ? `${what} must be a whole number of seconds` : undefined) })
    .positive(`${what} must be greater than 0 seconds`);

/** An empty string means "not set" in the seed (`db: ""`, `user: ""`). */
const optionalName = (rule: z.ZodString) => z.union([z.literal(''), rule]);

const imageRepository = z
  .string()
  .min(1)
  .regex(
    /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/,
    'must be an image repository such as "qdrant/qdrant" or "registry.example.com:5000/qdrant/qdrant" (lowercase, no tag)',
  );

/** uid/gid as the seed writes them: "" (unset), or a number, possibly quoted. */
const unixId = z.union([z.literal(''), z.int().min(0).max(2147483647), z.string().regex(/^[0-9]+$/, 'must be a numeric id such as "1000"')]);

export const QdrantLogLevel = z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']);
export type QdrantLogLevel = z.infer<typeof QdrantLogLevel>;

export const BackOffSettings = z
  .strictObject({
    minDelay: z.int().min(0, 'minDelay must be at least 0 seconds').default(5),
    maxDelay: z.int().positive('maxDelay must be greater than 0 seconds').default(300),
    increment: z.int().min(0, 'increment must be at least 0 seconds').default(5),
  })
  .superRefine((value, ctx) => {
    if (value.minDelay > value.maxDelay) {
      ctx.addIssue({ code: 'custom', path: ['minDelay'], message: `must not be greater than maxDelay (${value.maxDelay}), got ${value.minDelay}` });
    }
  });

export const ClusterManagerSettings = z.strictObject({
  /**
   * Whether clusters use the cluster manager (rebalancing, drains, recovery) when their
   * spec.clusterManager is unset; the cluster's field wins. Qdrant's Private Cloud calls it
   * `clusterManager.enable` (default true there); off here as the seed calls it experimental.
   */
  enable: z.boolean().default(false),
  /** The rebalancing of clusters that use the cluster manager and leave spec.rebalanceStrategy unset. */
  rebalanceStrategy: RebalanceStrategy.default('disabled'),
  image: z
    .strictObject({
      repository: imageRepository.default('qdrant/qdrant-cloud-cluster-manager'),
      // Qdrant's settings pin their cluster manager ("0.1.2"); empty means this release's own,
      // tagged like the operator, so an upgrade moves both and no release overwrites a tag.
      tag: z
        .string()
        .regex(
          /^([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$/,
          'must be an image tag such as "0.1.2" (letters, digits, _ . -; at most 128), or empty for the release\'s own',
        )
        .default(''),
    })
    .prefault({}),
  pullInterval: seconds('pullInterval').default(10),
  logSize: z.int().positive('logSize must be at least 1').default(10),
  debug: z.boolean().default(false),
  node_selector: NodeSelector.default({}),
  tolerations: z.array(Toleration).default([]),
});

/** Qdrant's providers; QdrantCloudTraefik renders a Traefik IngressRoute (traefik.io/v1alpha1). */
export const IngressProvider = z.enum(['KubernetesIngress', 'NginxIngress', 'QdrantCloudTraefik']);

export const IngressSettings = z.strictObject({
  enabled: z.boolean().default(false),
  provider: IngressProvider.default('KubernetesIngress'),
  kubernetesIngress: z.strictObject({ ingressClassName: optionalName(dns1123Subdomain).default('') }).prefault({}),
  qdrantCloudTraefik: z
    .strictObject({
      /** Traefik entry points of every cluster's route unless the cluster lists its own; empty: all of Traefik's. */
      entryPoints: z.array(z.string().min(1)).default([]),
      /** TLS on routes whose cluster leaves spec.ingress.tls unset. */
      tls: z.boolean().default(false),
      /** The certificate Secret of routes whose cluster leaves spec.ingress.tlsSecretName unset; empty: Traefik's default certificate. */
      secretName: optionalName(dns1123Subdomain).default(''),
    })
    .prefault({}),
});

export const StorageSettings = z.strictObject({
  snapshot_class: optionalName(dns1123Subdomain).default('csi-snapclass'),
  default_storage_class_names: z
    .strictObject({ db: optionalName(dns1123Subdomain).default(''), snapshot: optionalName(dns1123Subdomain).default('') })
    .prefault({}),
});

export const SchedulingSettings = z.strictObject({
  default_topology_spread_constraints: z.array(TopologySpreadConstraint).default([]),
  default_pod_disruption_budget: PodDisruptionBudgetSpec.default({}),
});

export const QdrantSecurityContextSettings = z.strictObject({
  enabled: z.boolean().default(false),
  user: unixId.default(''),
  fsGroup: unixId.default(''),
  group: unixId.default(''),
});

export const QdrantImageSettings = z.strictObject({
  pull_secret: optionalName(dns1123Subdomain).default(''),
  pull_policy: PullPolicy.default('IfNotPresent'),
  repository: imageRepository.default('qdrant/qdrant'),
});

/** The seed's one active network policy rule: DNS to kube-system. */
export const DEFAULT_EGRESS_RULES = [
  { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ protocol: 'UDP' as const, port: 53 }] },
];

export const NetworkPolicySettings = z.strictObject({
  ingress: z.array(NetworkPolicyIngressRule).default([]),
  egress: z.array(NetworkPolicyEgressRule).default(() => structuredClone(DEFAULT_EGRESS_RULES)),
});

export const QdrantSettings = z.strictObject({
  securityContext: QdrantSecurityContextSettings.prefault({}),
  image: QdrantImageSettings.prefault({}),
  log_level: QdrantLogLevel.default('INFO'),
  networkPolicies: NetworkPolicySettings.prefault({}),
});

export const AppEnvironment = z.enum(['kubernetes', 'local']);

export const Settings = z.strictObject({
  app_environment: AppEnvironment.default('kubernetes'),
  backupHistoryRetentionDays: z.int().min(0, 'backupHistoryRetentionDays must be at least 0 days').default(2),
  operationTimeout: seconds('operationTimeout').default(7200),
  handlerTimeout: seconds('handlerTimeout').default(21600),
  backupTimeout: seconds('backupTimeout').default(12600),
  backOff: BackOffSettings.prefault({}),
  clusterManager: ClusterManagerSettings.prefault({}),
  ingress: IngressSettings.prefault({}),
  storage: StorageSettings.prefault({}),
  scheduling: SchedulingSettings.prefault({}),
  qdrant: QdrantSettings.prefault({}),
});

/** The whole operator settings document: everything sits under `settings:`. */
export const OperatorSettings = z
  .strictObject({ settings: Settings.prefault({}) })
  .meta({
    title: 'qhc operator settings',
    description: 'Configuration of the qhc Qdrant operator, compatible with the Qdrant Hybrid Cloud operator configuration.',
  });

export type OperatorSettings = z.infer<typeof OperatorSettings>;
export type OperatorSettingsInput = z.input<typeof OperatorSettings>;
export type BackOffSettings = z.infer<typeof BackOffSettings>;

const parser = createParser(OperatorSettings, 'operator settings');

/** Parses the operator settings YAML/JSON; throws QhcSchemaError listing every problem with line:column. */
export const parseOperatorSettings = parser.parse;
export const safeParseOperatorSettings = parser.safeParse;
export const validateOperatorSettings = parser.validate;
export const safeValidateOperatorSettings = parser.safeValidate;

/** The settings an operator runs with when given an empty file. */
export function defaultOperatorSettings(): OperatorSettings {
  return OperatorSettings.parse({});
}
