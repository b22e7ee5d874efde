// The configuration flags (cluster-config.ts) on the Cloud API's ClusterConfiguration, in its
// proto JSON: what `qhc cluster create|update --region` sends. Ingress has no field there.
import { CliError, EXIT } from '../exit.ts';
import type { Json } from '../cloud.ts';
import { applyConfigFlags, type ConfigOptions } from './cluster-config.ts';

type KeyValue = { key: string; value: string };
const toMap = (list: unknown): Record<string, string> | undefined =>
  Array.isArray(list) && list.length ? Object.fromEntries((list as KeyValue[]).map((kv) => [kv.key, kv.value ?? ''])) : undefined;
const toList = (map: unknown): KeyValue[] => Object.entries((map ?? {}) as Record<string, string>).map(([key, value]) => ({ key, value }));

const OPERATOR: Record<string, string> = { Equal: 'TOLERATION_OPERATOR_EQUAL', Exists: 'TOLERATION_OPERATOR_EXISTS' };
const EFFECT: Record<string, string> = {
  NoSchedule: 'TOLERATION_EFFECT_NO_SCHEDULE',
  PreferNoSchedule: 'TOLERATION_EFFECT_PREFER_NO_SCHEDULE',
  NoExecute: 'TOLERATION_EFFECT_NO_EXECUTE',
};
const SERVICE: Record<string, string> = {
  ClusterIP: 'CLUSTER_SERVICE_TYPE_CLUSTER_IP',
  NodePort: 'CLUSTER_SERVICE_TYPE_NODE_PORT',
  LoadBalancer: 'CLUSTER_SERVICE_TYPE_LOAD_BALANCER',
};
const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'OFF'];
const invert = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [v, k]));

type Toleration = { key?: string; operator?: string; value?: string; effect?: string };
const tolerationsOf = (list: unknown): Toleration[] | undefined =>
  Array.isArray(list) && list.length
    ? (list as Toleration[]).map((t) => ({ ...t, operator: t.operator && invert(OPERATOR)[t.operator], effect: t.effect && invert(EFFECT)[t.effect] }))
    : undefined;

/** The flags given applied to a ClusterConfiguration (proto JSON); fields no flag names are kept as they are. */
export function applyConfigFlagsToConfiguration(configuration: Json, o: ConfigOptions): Json {
  if ([o.ingress, o.ingressClass, o.ingressHost, o.ingressTls, o.ingressTlsSecret, o.ingressAnnotation].some((f) => f !== undefined))
    throw new CliError('the Cloud API has no ingress setting for a cluster', {
      code: EXIT.usage,
      hint: 'use --kubeconfig to set the ingress on the QdrantCluster directly',
    });
  const level = o.logLevel?.toUpperCase();
  if (level !== undefined && !LOG_LEVELS.includes(level))
    throw new CliError(`--log-level ${JSON.stringify(o.logLevel)}: the Cloud API takes one of ${LOG_LEVELS.join(', ')}`, { code: EXIT.usage });
  // The same edits as on a QdrantCluster's spec, made on the configuration's maps and lists.
  const database = (configuration.databaseConfiguration ?? {}) as Json;
  const service = (database.service ?? {}) as Json;
  const spec = applyConfigFlags(
    {
      nodeSelector: toMap(configuration.nodeSelector),
      tolerations: tolerationsOf(configuration.tolerations),
      service: { annotations: toMap(configuration.serviceAnnotations) },
    },
    {
      ...o,
      logLevel: undefined,
      apiKeySecret: undefined,
      readOnlyApiKeySecret: undefined,
      rebalance: undefined,
      storageClass: undefined,
      volumeSnapshotClass: undefined,
    },
  ) as { nodeSelector?: unknown; tolerations?: Toleration[]; service?: { annotations?: unknown } };
  const next: Json = { ...configuration };
  if (o.nodeSelector) next.nodeSelector = toList(spec.nodeSelector);
  if (o.toleration)
    next.tolerations = (spec.tolerations ?? []).map((t) => ({
      ...t,
      operator: OPERATOR[t.operator ?? 'Exists']!,
      ...(t.effect ? { effect: EFFECT[t.effect]! } : {}),
    }));
  if (o.serviceAnnotation) next.serviceAnnotations = toList(spec.service?.annotations);
  if (o.serviceType !== undefined) next.serviceType = serviceType(o.serviceType);
  if (o.storageClass !== undefined || o.volumeSnapshotClass !== undefined)
    next.clusterStorageConfiguration = {
      ...((configuration.clusterStorageConfiguration ?? {}) as Json),
      ...(o.storageClass !== undefined ? { databaseStorageClass: o.storageClass } : {}),
      ...(o.volumeSnapshotClass !== undefined ? { volumeSnapshotClass: o.volumeSnapshotClass } : {}),
    };
  const apiKey = secretRef(o.apiKeySecret, '--api-key-secret');
  const readOnly = secretRef(o.readOnlyApiKeySecret, '--read-only-api-key-secret');
  if (level !== undefined || apiKey || readOnly)
    next.databaseConfiguration = {
      ...database,
      ...(level ? { logLevel: `DATABASE_CONFIGURATION_LOG_LEVEL_${level}` } : {}),
      ...(apiKey || readOnly ? { service: { ...service, ...(apiKey ? { apiKey } : {}), ...(readOnly ? { readOnlyApiKey: readOnly } : {}) } } : {}),
    };
  if (o.rebalance !== undefined) {
    const on = rebalanceOf(o.rebalance);
    if (on === undefined) delete next.rebalanceStrategy;
    else next.rebalanceStrategy = on ? 'CLUSTER_CONFIGURATION_REBALANCE_STRATEGY_BY_COUNT_AND_SIZE' : 'CLUSTER_CONFIGURATION_REBALANCE_STRATEGY_DISABLED';
  }
  return next;
}

export function serviceType(type: string): string {
  const value = SERVICE[type];
  if (!value) throw new CliError(`service type ${JSON.stringify(type)}: expected ${Object.keys(SERVICE).join(', ')}`, { code: EXIT.usage });
  return value;
}

/** `<secret>:<key>` as a SecretKeyRef, checked (and the flag named in errors) as on a QdrantCluster. */
function secretRef(value: string | undefined, flag: '--api-key-secret' | '--read-only-api-key-secret'): { name: string; key: string } | undefined {
  if (value === undefined) return undefined;
  const option = flag === '--api-key-secret' ? { apiKeySecret: value } : { readOnlyApiKeySecret: value };
  type Ref = { secretKeyRef: { name: string; key: string } };
  const service = (applyConfigFlags({}, option) as { config: { service: { api_key?: Ref; read_only_api_key?: Ref } } }).config.service;
  return (service.api_key ?? service.read_only_api_key)!.secretKeyRef;
}

function rebalanceOf(value: boolean | string): boolean | undefined {
  const spec = applyConfigFlags({}, { rebalance: value }) as { clusterManager?: boolean };
  return spec.clusterManager;
}
