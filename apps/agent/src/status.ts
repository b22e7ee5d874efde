import { OPERATOR_NAME, OPERATOR_SETTINGS_STATUS_CONFIGMAP, readSettingsStatus, settingsCondition } from '@qhc/manifests';
import type { KubeClient, KubeObject } from '@qhc/kube';
import {
  QDRANT_API_VERSION,
  qdrantCloudRegionKind,
  qdrantClusterKind,
  qdrantClusterRestoreKind,
  qdrantClusterScheduledSnapshotKind,
  qdrantClusterSnapshotKind,
  type ClusterStatusReport,
} from '@qhc/schemas';
import type { StatusReport } from './control-plane.ts';
import { FIELD_MANAGER } from './apply.ts';
import { collectHealth } from './health.ts';
import { adoptionFields } from './adoption.ts';

type Cluster = KubeObject & {
  spec?: { id?: string; size?: number; version?: string };
  status?: {
    phase?: string;
    reason?: string;
    availableNodes?: number;
    version?: string;
    conditions?: Array<{ type: string; status: string; reason?: string }>;
    nodes?: Record<string, unknown>;
  };
};
type Deployment = KubeObject & {
  spec?: { replicas?: number; template?: { spec?: { containers?: Array<{ image?: string }> } } };
  status?: { readyReplicas?: number };
};

/**
 * What the control plane is told: each QdrantCluster's phase, conditions, nodes and version;
 * the operator's health; the Kubernetes nodes. Also written to the cluster-scoped
 * QdrantCloudRegion, the region's view of itself inside the cluster.
 */
export async function collectStatus(
  client: KubeClient,
  namespace: string,
  region: string,
  appliedRevision: number | undefined,
  agentVersion: string,
): Promise<StatusReport> {
  const clusters = (await client.list<Cluster>({ apiVersion: QDRANT_API_VERSION, kind: qdrantClusterKind.kind }, { namespace })).items;
  const operator = await client.get<Deployment>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: OPERATOR_NAME });
  const nodes = (await client.list({ apiVersion: 'v1', kind: 'Node' })).items;
  const operatorReady = (operator?.status?.readyReplicas ?? 0) >= Math.max(1, operator?.spec?.replicas ?? 1);
  const operatorImage = operator?.spec?.template?.spec?.containers?.[0]?.image;
  // The operator's word on its settings file (it does not know the region; the agent does).
  const settingsStatus = readSettingsStatus(
    await client.get<KubeObject & { data?: Record<string, string> }>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace,
      name: OPERATOR_SETTINGS_STATUS_CONFIGMAP,
    }),
  );
  const regionStatus = {
    phase: operatorReady ? ('Ready' as const) : ('NotReady' as const),
    numberOfNodes: nodes.length,
    components: [
      {
        name: OPERATOR_NAME,
        namespace,
        ...(operatorImage ? { version: operatorImage.slice(operatorImage.lastIndexOf(':') + 1) } : {}),
        phase: operator ? (operatorReady ? ('Ready' as const) : ('NotReady' as const)) : ('NotFound' as const),
      },
      { name: 'qhc-agent', namespace, version: agentVersion, phase: 'Ready' as const },
    ],
    ...(operatorReady
      ? {}
      : { message: operator ? `the operator has ${operator.status?.readyReplicas ?? 0} ready replica(s)` : 'the operator is not installed' }),
    ...(settingsStatus ? { conditions: [settingsCondition(settingsStatus)] } : {}),
  };
  await client.apply(
    { apiVersion: QDRANT_API_VERSION, kind: qdrantCloudRegionKind.kind, metadata: { name: region }, spec: { id: region } },
    { fieldManager: FIELD_MANAGER },
  );
  await client.applyStatus(
    { apiVersion: QDRANT_API_VERSION, kind: qdrantCloudRegionKind.kind, metadata: { name: region }, status: regionStatus } as KubeObject,
    { fieldManager: FIELD_MANAGER },
  );
  const { resources, restores } = await observedResources(client, namespace);
  return {
    ...(appliedRevision !== undefined ? { appliedRevision } : {}),
    resources,
    // What clusters can rely on (storage, snapshots, versions): the console and the API's warnings use it.
    health: await collectHealth(client, namespace),
    region: regionStatus,
    clusters: clusters
      .filter((c) => c.spec?.id && !c.metadata.deletionTimestamp)
      .map((c): ClusterStatusReport => ({
        id: c.spec!.id!,
        phase: c.status?.phase ?? 'Pending',
        ...(c.status?.reason ? { reason: c.status.reason } : {}),
        nodes: c.spec?.size ?? 0,
        nodesReady: c.status?.availableNodes ?? 0,
        version: c.status?.version ?? c.spec?.version,
        conditions: (c.status?.conditions ?? []).map((k) => ({ type: k.type, status: k.status, ...(k.reason ? { reason: k.reason } : {}) })),
        // Per pod, as the operator writes status.nodes: what the console shows node by node.
        ...(c.status?.nodes ? { nodeStatus: c.status.nodes as ClusterStatusReport['nodeStatus'] } : {}),
        // A cluster a restore made in the region: where from and its spec, for the control plane to adopt.
        ...adoptionFields(c, restores),
      })),
  };
}

type Observed = KubeObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> };

/** Backups, schedules and restores in the namespace, as reported; the restores also for adoption. */
async function observedResources(client: KubeClient, namespace: string): Promise<{ resources: NonNullable<StatusReport['resources']>; restores: Observed[] }> {
  const resources: NonNullable<StatusReport['resources']> = [];
  const restores: Observed[] = [];
  for (const kind of [qdrantClusterSnapshotKind.kind, qdrantClusterScheduledSnapshotKind.kind, qdrantClusterRestoreKind.kind]) {
    const items = (await client.list<Observed>({ apiVersion: QDRANT_API_VERSION, kind }, { namespace })).items;
    if (kind === qdrantClusterRestoreKind.kind) restores.push(...items);
    for (const o of items)
      if (!o.metadata.deletionTimestamp)
        resources.push({ kind, name: o.metadata.name!, spec: o.spec ?? {}, ...(o.status ? { status: o.status } : {}), created: o.metadata.creationTimestamp });
  }
  return { resources, restores };
}
