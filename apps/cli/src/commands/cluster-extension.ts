// Changes the Cloud API's Cluster has no field for, through qhc's own qhc.v1.ClusterExtensionService:
// the operator's pauses and the cluster's ingress (kept beside the Cluster message by the control plane).
import { qhcV1 } from '@qhc/cloud-api';
import { asJson, messageOf, type CloudApi, type Json } from '../cloud.ts';
import { applyConfigFlags, type ConfigOptions } from './cluster-config.ts';

/** What a command asks of the service: the request (printed by --dry-run) and how to send it. */
export interface ExtensionCall {
  rpc: string;
  request: Json;
  send(): Promise<unknown>;
}
export type ExtensionChange = (api: CloudApi, clusterId: string) => Promise<ExtensionCall>;

/** The owner qhc's own pauses carry: `qhc cluster unpause` removes this one only. */
export const CLI_PAUSE_OWNER = 'qhc-cli';

export const pauseCall =
  (owner: string, reason: string): ExtensionChange =>
  async (api, clusterId) => {
    const request = { accountId: api.accountId, clusterId, owner, reason };
    return { rpc: 'PauseCluster', request, send: () => api.call('PauseCluster', () => api.extensions.pauseCluster(request)) };
  };

export const unpauseCall =
  (owner: string): ExtensionChange =>
  async (api, clusterId) => {
    const request = { accountId: api.accountId, clusterId, owner };
    return { rpc: 'UnpauseCluster', request, send: () => api.call('UnpauseCluster', () => api.extensions.unpauseCluster(request)) };
  };

type KeyValue = { key: string; value: string };
const toMap = (list: unknown) =>
  Array.isArray(list) && list.length ? Object.fromEntries((list as KeyValue[]).map((kv) => [kv.key, kv.value ?? ''])) : undefined;
const toList = (map: unknown) => Object.entries((map ?? {}) as Record<string, string>).map(([key, value]) => ({ key, value }));

export const INGRESS_FLAGS = ['ingress', 'ingressClass', 'ingressHost', 'ingressTls', 'ingressTlsSecret', 'ingressAnnotation'] as const;
export const hasIngressFlags = (o: ConfigOptions) => INGRESS_FLAGS.some((flag) => o[flag] !== undefined);

/** The ingress flags applied to the cluster's ingress (proto JSON), as `qhc cluster update` applies them to a QdrantCluster's. */
export function applyIngressFlags(current: Json | undefined, o: ConfigOptions): Json {
  const only = Object.fromEntries(INGRESS_FLAGS.map((flag) => [flag, o[flag]])) as ConfigOptions;
  const ingress = { ...current, annotations: toMap(current?.annotations) };
  const next = applyConfigFlags({ ingress }, only).ingress as Json;
  const { annotations, ...rest } = next;
  return { ...rest, ...(annotations ? { annotations: toList(annotations) } : {}) } as Json;
}

/** The cluster's ingress as answered, changed only where the flags say. */
export const ingressCall =
  (o: ConfigOptions): ExtensionChange =>
  async (api, clusterId) => {
    const ids = { accountId: api.accountId, clusterId };
    const answered = await api.call('GetClusterIngress', () => api.extensions.getClusterIngress(ids));
    const current = answered.ingress ? asJson(qhcV1.ClusterIngressSchema, answered.ingress) : undefined;
    const request = { ...ids, ingress: applyIngressFlags(current, o) };
    const message = messageOf(qhcV1.SetClusterIngressRequestSchema, request, 'the changed ingress');
    return { rpc: 'SetClusterIngress', request, send: () => api.call('SetClusterIngress', () => api.extensions.setClusterIngress(message)) };
  };
