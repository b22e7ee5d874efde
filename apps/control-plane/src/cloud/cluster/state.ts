import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { clusterV1 } from '@qhc/cloud-api';
import { CLUSTER_PHASES, clusterEndpoint, type ClusterPhase, type ClusterRecord, type ResourcePackage } from '@qhc/schemas';
import { enumNumber } from './enums.ts';
import { resourcesSummary } from './resources.ts';

// What the agent last reported of a cluster (its QdrantCluster's status), as ClusterState. Pure.

const phase = (name: string) => enumNumber<clusterV1.ClusterPhase>(clusterV1.ClusterPhaseSchema, name);
const snake = (pascal: string) => pascal.replace(/(?<=[a-z])(?=[A-Z])/g, '_').toUpperCase();
/** The operator's phases have the same names, in PascalCase: FailedToCreate is FAILED_TO_CREATE. */
const PHASES = Object.fromEntries(CLUSTER_PHASES.map((p) => [p, phase(snake(p))])) as Record<ClusterPhase, clusterV1.ClusterPhase>;
const DELETING = phase('DELETING');
const CREATING = phase('CREATING');
const UNKNOWN = phase('UNKNOWN');

/** Phases a cluster reaches only after it served (Healthy) or while it serves: its endpoint is given then. */
const SERVING: ReadonlySet<clusterV1.ClusterPhase> = new Set(['HEALTHY', 'UPDATING', 'SCALING', 'UPGRADING', 'FAILED_TO_UPDATE', 'RECOVERY_MODE'].map(phase));

const NODE = (name: string) => enumNumber<clusterV1.ClusterNodeState>(clusterV1.ClusterNodeStateSchema, name);
const [NODE_HEALTHY, NODE_STARTING, NODE_UNHEALTHY] = [NODE('HEALTHY'), NODE('STARTING'), NODE('UNHEALTHY')];

export const REST_PORT = 6333;
export const GRPC_PORT = 6334;

const isPhase = (reported: string): reported is ClusterPhase => (CLUSTER_PHASES as readonly string[]).includes(reported);

/** No report yet: being created; a deletion asked: deleting; a phase this release does not know: unknown. */
export function phaseOf(cluster: Pick<ClusterRecord, 'status' | 'deletedAt'>): clusterV1.ClusterPhase {
  if (cluster.deletedAt) return DELETING;
  const reported = cluster.status?.phase;
  if (reported === undefined) return CREATING;
  return isPhase(reported) ? PHASES[reported] : UNKNOWN;
}

type NodeReport = NonNullable<NonNullable<ClusterRecord['status']>['nodeStatus']>[string];

function nodeState(node: NodeReport): clusterV1.ClusterNodeState {
  if (node.state?.['Ready'] === 'True') return NODE_HEALTHY;
  if (node.podPhase === 'Pending' || node.state === undefined) return NODE_STARTING;
  return NODE_UNHEALTHY;
}

function nodesOf(cluster: Pick<ClusterRecord, 'status'>): clusterV1.ClusterNodeInfo[] {
  return Object.entries(cluster.status?.nodeStatus ?? {}).map(([key, node]) => {
    const started = node.started_at ? new Date(node.started_at) : undefined;
    return create(clusterV1.ClusterNodeInfoSchema, {
      name: node.name ?? key,
      version: node.version ?? '',
      state: nodeState(node),
      ...(started && !Number.isNaN(started.getTime()) ? { startedAt: timestampFromDate(started) } : {}),
      ...(node.zone ? { availabilityZone: node.zone } : {}),
    });
  });
}

export interface StateInput {
  cluster: Pick<ClusterRecord, 'status' | 'deletedAt' | 'spec' | 'annotations'>;
  objectId: string;
  namespace: string;
  /** The configuration's package, for the resources summary. */
  pkg?: ResourcePackage;
  configuration?: clusterV1.ClusterConfiguration;
}

export function stateOf({ cluster, objectId, namespace, pkg, configuration }: StateInput): clusterV1.ClusterState {
  const current = phaseOf(cluster);
  const status = cluster.status;
  const tls = cluster.spec.config?.service?.enable_tls === true;
  const restartedAt = cluster.annotations?.['restartedAt'] ? new Date(cluster.annotations['restartedAt']) : undefined;
  return create(clusterV1.ClusterStateSchema, {
    version: status?.version ?? '',
    nodesUp: status?.nodesReady ?? 0,
    phase: current,
    reason: status?.reason ?? '',
    jwtRbac: cluster.spec.config?.service?.jwt_rbac === true,
    nodes: nodesOf(cluster),
    ...(restartedAt && !Number.isNaN(restartedAt.getTime()) ? { restartedAt: timestampFromDate(restartedAt) } : {}),
    // Terraform waits for the url: it is given once the database has answered (reported Healthy).
    ...(SERVING.has(current)
      ? { endpoint: { url: clusterEndpoint(objectId, namespace, tls ? 'https' : 'http'), restPort: REST_PORT, grpcPort: GRPC_PORT } }
      : {}),
    ...(pkg ? { resources: resourcesSummary(pkg, configuration) } : {}),
  });
}
