import { clone, create, type MessageInitShape } from '@bufbuild/protobuf';
import { createClient, type Client } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { bookingV1, clusterV1 } from '@qhc/cloud-api';
import { DEFAULT_PACKAGES, type QdrantClusterSpec, type RegionRecord } from '@qhc/schemas';
import { parseRegionInput } from '../../src/api/inputs.ts';
import type { AgentReport } from '../../src/repositories/status.ts';
import type { CloudPlane } from './cloud.ts';
import { sqlOn } from './sql.ts';

// ClusterService and BookingService over gRPC (HTTP/2 + TLS, as the Terraform provider calls),
// the environments their clusters run in, and the agent's side (desired state, status report).

/** A Cluster as plain fields (not a message), so tests can spread and change it. */
export type ClusterInit = Exclude<MessageInitShape<typeof clusterV1.ClusterSchema>, clusterV1.Cluster>;
export type ConfigurationInit = Exclude<NonNullable<ClusterInit['configuration']>, clusterV1.ClusterConfiguration>;

export const PACKAGE_ID = DEFAULT_PACKAGES[1]!.id;

function transport(plane: CloudPlane) {
  return createGrpcTransport({ baseUrl: plane.cp.url, nodeOptions: { ca: plane.tls!.ca } });
}

export function clusterClient(plane: CloudPlane): Client<typeof clusterV1.ClusterService> {
  return createClient(clusterV1.ClusterService, transport(plane));
}

export function bookingClient(plane: CloudPlane): Client<typeof bookingV1.BookingService> {
  return createClient(bookingV1.BookingService, transport(plane));
}

/** A region of the first account (a hybrid environment), made as /api/v1 makes them. */
export async function makeRegion(plane: CloudPlane, name: string): Promise<RegionRecord> {
  const input = parseRegionInput({ name, namespace: `ns-${name}`, agentVersion: '0.1.0', operatorVersion: '0.1.0' }, plane.cp.store.defaults);
  return plane.cp.store.createRegion(input);
}

/** A valid cluster of 3 nodes in `regionId`, with `overrides` (the configuration's merged). */
export function clusterInit(
  accountId: string,
  regionId: string,
  name: string,
  configuration: ConfigurationInit = {},
): ClusterInit & { configuration: ConfigurationInit } {
  return {
    accountId,
    name,
    cloudProviderId: 'hybrid',
    cloudProviderRegionId: regionId,
    configuration: { numberOfNodes: 3, version: 'v1.16.3', packageId: PACKAGE_ID, ...configuration },
  };
}

/** The message as its client sent it: the server's fields cleared. */
export function sentPart(cluster: clusterV1.Cluster): clusterV1.Cluster {
  const copy = clone(clusterV1.ClusterSchema, cluster);
  copy.id = '';
  copy.createdAt = undefined;
  copy.deletedAt = undefined;
  copy.state = undefined;
  if (copy.configuration) copy.configuration.lastModifiedAt = undefined;
  return copy;
}

export const asMessage = (init: ClusterInit) => create(clusterV1.ClusterSchema, init);

/** Every row the ClusterService writes: equal before and after a refused call. */
export async function clusterDigest(plane: CloudPlane): Promise<unknown> {
  const sql = sqlOn(plane.cp.store.db);
  return {
    regions: await sql.all('SELECT id, revision, updated_at FROM regions ORDER BY id'),
    clusters: await sql.all('SELECT * FROM clusters ORDER BY id'),
    events: await sql.all('SELECT cluster_id, type, message FROM cluster_events ORDER BY cluster_id, at, message'),
    resources: await sql.all('SELECT * FROM resources ORDER BY id'),
  };
}

/** What the region's agent pulls: the cluster's spec by its Kubernetes identity. */
export async function desiredClusterSpec(plane: CloudPlane, regionId: string, objectId: string) {
  const state = await plane.cp.store.desiredState(regionId);
  const cluster = state.clusters.find((c) => c.id === objectId);
  // The desired state's input type leaves the spec open; the control plane wrote a QdrantCluster spec.
  const typed = cluster ? { ...cluster, spec: cluster.spec as QdrantClusterSpec } : undefined;
  return { revision: state.revision, cluster: typed, deletions: state.deletions };
}

/** The agent's report at the region's latest revision (it has applied everything). */
export async function reportStatus(plane: CloudPlane, regionId: string, clusters: AgentReport['clusters']): Promise<void> {
  const appliedRevision = (await plane.cp.store.revision(regionId))!;
  await plane.cp.store.recordStatus(regionId, { appliedRevision, clusters });
}
