import { clone, create, fromJsonString, toJsonString } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { clusterV1 } from '@qhc/cloud-api';
import type { ResourcePackage } from '@qhc/schemas';
import type { CloudClusterRecord } from '../../repositories/cloud-clusters.ts';
import { deepFreeze } from '../../repositories/row-memo.ts';
import { stateOf } from './state.ts';

// The Cluster message: what the client sent, exactly (stored as proto JSON), with the server's
// fields filled in. Pure.

/** The message as stored: the client's fields only (the server's are filled on every answer). */
export function storedMessage(cluster: clusterV1.Cluster): string {
  const stored = clone(clusterV1.ClusterSchema, cluster);
  stored.id = '';
  stored.accountId = '';
  stored.createdAt = undefined;
  stored.deletedAt = undefined;
  stored.state = undefined;
  if (stored.configuration) stored.configuration.lastModifiedAt = undefined;
  return toJsonString(clusterV1.ClusterSchema, stored);
}

/** A cluster made through /api/v1 has no message: the fields its spec answers for. */
function derivedMessage(cluster: CloudClusterRecord): clusterV1.Cluster {
  return create(clusterV1.ClusterSchema, {
    name: cluster.name,
    cloudProviderId: 'hybrid',
    cloudProviderRegionId: cluster.regionId,
    configuration: { numberOfNodes: cluster.spec.size, version: cluster.spec.version },
  });
}

const time = (iso: string) => timestampFromDate(new Date(iso));

export function clusterMessage(cluster: CloudClusterRecord, packages: readonly ResourcePackage[]): clusterV1.Cluster {
  const message = cluster.cloudCluster ? fromJsonString(clusterV1.ClusterSchema, cluster.cloudCluster) : derivedMessage(cluster);
  message.id = cluster.id;
  message.accountId = cluster.accountId;
  message.name = cluster.name;
  message.createdAt = time(cluster.createdAt);
  if (cluster.deletedAt) message.deletedAt = time(cluster.deletedAt);
  if (message.configuration) message.configuration.lastModifiedAt = time(cluster.updatedAt);
  const pkg = packages.find((p) => p.id === message.configuration?.packageId.toLowerCase());
  message.state = stateOf({
    cluster,
    objectId: cluster.objectId,
    namespace: cluster.namespace,
    ...(pkg ? { pkg } : {}),
    ...(message.configuration ? { configuration: message.configuration } : {}),
  });
  return message;
}

// The answer of a record the repositories keep (frozen, the same object while its row reads the
// same): built once, shared by the reads that answer it (GetCluster, ListClusters), never changed.
const answers = new WeakMap<CloudClusterRecord, { packages: readonly ResourcePackage[]; message: clusterV1.Cluster }>();

/** The cluster's message for an answer as it is: frozen, shared. What a handler changes comes from clusterMessage. */
export function clusterAnswer(cluster: CloudClusterRecord, packages: readonly ResourcePackage[]): clusterV1.Cluster {
  const kept = answers.get(cluster);
  if (kept?.packages === packages) return kept.message;
  const message = deepFreeze(clusterMessage(cluster, packages));
  // A record built elsewhere (not frozen) may still change: its message is not kept.
  if (Object.isFrozen(cluster)) answers.set(cluster, { packages, message });
  return message;
}
