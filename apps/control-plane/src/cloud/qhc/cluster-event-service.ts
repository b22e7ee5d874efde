import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { ServiceImpl } from '@connectrpc/connect';
import { qhcV1 } from '@qhc/cloud-api';
import { clusterEvents, type ClusterEvent, type ClusterEventType } from '../../cluster-events.ts';
import type { CloudDeps } from '../context.ts';
import { pageOf } from './fields.ts';
import { clusterIdOf } from './lookup.ts';

// qhc.v1.ClusterEventService: a cluster's timeline, the one /api/v1 serves at …/clusters/{cluster}/events.

const TYPES: Record<ClusterEventType, qhcV1.ClusterEventType> = {
  Requested: qhcV1.ClusterEventType.REQUESTED,
  Phase: qhcV1.ClusterEventType.PHASE,
  Nodes: qhcV1.ClusterEventType.NODES,
  Condition: qhcV1.ClusterEventType.CONDITION,
  Version: qhcV1.ClusterEventType.VERSION,
  Adopted: qhcV1.ClusterEventType.ADOPTED,
  Conflict: qhcV1.ClusterEventType.CONFLICT,
};

export const toClusterEvent = (event: ClusterEvent) =>
  create(qhcV1.ClusterEventSchema, { time: timestampFromDate(new Date(event.at)), type: TYPES[event.type], message: event.message });

export function clusterEventService(deps: CloudDeps): ServiceImpl<typeof qhcV1.ClusterEventService> {
  return {
    async listClusterEvents(req, ctx) {
      const clusterId = await clusterIdOf(deps, ctx, req.clusterId);
      const page = await clusterEvents(deps.db, clusterId, pageOf(req));
      return { items: page.items.map(toClusterEvent), nextPageToken: page.nextPageToken ?? '' };
    },
  };
}
