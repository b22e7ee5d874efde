import { clusterV1 } from '@qhc/cloud-api';
import { accountId } from '../api.ts';
import { clustersApi } from '../clients.ts';
import type { Cluster, Package } from '../types.ts';
import { enumLabel } from './status.ts';

/** The cluster's phase in the operator's words (Healthy, FailedToCreate…); Deleting once deleted, Pending before a report. */
export const clusterPhase = (c: Cluster): string => (c.deletedAt ? 'Deleting' : (enumLabel(clusterV1.ClusterPhaseSchema, c.state?.phase) ?? 'Pending'));

export const isSuspended = (c: Cluster) => ['Suspended', 'Suspending'].includes(clusterPhase(c));

export const getCluster = async (id: string): Promise<Cluster> => {
  const cluster = (await clustersApi.getCluster({ accountId: accountId(), clusterId: id })).cluster;
  if (!cluster) throw new Error(`the control plane answered without cluster ${id}`);
  return cluster;
};

/** "small: 1 CPU, 1Gi memory, 10Gi disk", as the package list shows a package. */
export const packageLabel = (p: Package) =>
  `${p.name}: ${p.resourceConfiguration?.cpu ?? '?'} CPU, ${p.resourceConfiguration?.ram ?? '?'} memory, ${p.resourceConfiguration?.disk ?? '?'} disk`;

/** The service type's name as Kubernetes spells it: CLUSTER_IP → ClusterIP. */
export const SERVICE_TYPE_CHOICES = [
  ['ClusterIP', clusterV1.ClusterServiceType.CLUSTER_IP],
  ['NodePort', clusterV1.ClusterServiceType.NODE_PORT],
  ['LoadBalancer', clusterV1.ClusterServiceType.LOAD_BALANCER],
] as const;

export const serviceTypeName = (t: clusterV1.ClusterServiceType | undefined) => SERVICE_TYPE_CHOICES.find(([, v]) => v === t)?.[0] ?? 'ClusterIP';
export const serviceTypeOf = (name: string) => SERVICE_TYPE_CHOICES.find(([n]) => n === name)?.[1] ?? clusterV1.ClusterServiceType.CLUSTER_IP;
