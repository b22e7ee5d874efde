import type { ManageRequest, ManageResponse, ManagedNode } from '@qhc/schemas';
import type { Logger } from '@qhc/kube';
import {
  QdrantOperationError,
  connectQdrant,
  drainPeer,
  executePlan,
  planRebalance,
  qdrantCall,
  readPlacement,
  readTopology,
  releaseTemporaryReplicas,
  replicateBeforeRestart,
  type Placement,
  type QdrantEndpoint,
  type Topology,
} from '@qhc/qdrant';
import type { QdrantClient } from '@qhc/qdrant';
import type { ManagerMetrics } from './metrics.ts';

export interface ManageDeps {
  logger: Logger;
  metrics: ManagerMetrics;
  connect?: (endpoint: QdrantEndpoint) => QdrantClient;
  now?: () => number;
  /** Transfers at once while rebalancing. */
  concurrency?: number;
  pollIntervalMs?: number;
}

const hostOf = (uri: string): string => {
  try {
    return new URL(uri).hostname.split('.')[0] ?? '';
  } catch {
    return '';
  }
};

/**
 * One call of the manage endpoint for one cluster, in this order: nothing while blocked; a
 * requested drain; then the removal of dead peers whose data lives elsewhere; then, with a
 * strategy, a rebalance. Every step reads the cluster first, so a call cut off anywhere is
 * simply done again by the next one.
 */
export async function manage(request: ManageRequest, deps: ManageDeps): Promise<ManageResponse> {
  const { cluster } = request;
  const log = deps.logger.with({ namespace: cluster.namespace, name: cluster.name });
  if (request.blockedBy) return { status: 'Skipped', description: `nothing done while ${request.blockedBy}` };
  const now = deps.now ?? Date.now;
  const deadline = now() + request.deadlineSeconds * 1000;
  const connect = deps.connect ?? ((endpoint: QdrantEndpoint) => connectQdrant(endpoint, { timeoutMs: 30_000 }));
  const clientOf = (node: ManagedNode) => connect({ url: node.url, apiKey: request.apiKey });
  const leaving = request.scaleDown?.node ?? request.prepareRestart?.node;
  const coordinator = request.nodes.find((n) => n.ready && n.index !== leaving);
  if (!coordinator) return { status: 'Failed', description: 'no ready node that stays can coordinate' };
  const client = clientOf(coordinator);

  try {
    if (request.scaleDown) return await scaleDownStep(request, request.scaleDown, client, deadline, deps);
    if (request.releaseReplicas || request.prepareRestart) return await restartStep(request, client, deadline, deps);

    const topology = await readTopology(client);
    const live = await livePeers(request, clientOf);
    const removed = await removeDeadPeers(client, topology, live, request);
    if (removed.refused) return { status: 'Failed', description: removed.refused, removedPeers: removed.peers };
    if (removed.peers.length > 0) {
      log.info('dead peers removed', { peers: removed.peers });
      return {
        status: 'Recovered',
        description: `removed dead peer(s) ${removed.peers.join(', ')}; their shards have replicas elsewhere`,
        removedPeers: removed.peers,
      };
    }
    return await rebalanceStep(request, { client, topology, live, clientOf, deadline }, deps);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.warn('manage failed', { error: message, reason: error instanceof QdrantOperationError ? error.reason : undefined });
    return { status: 'Failed', description: message };
  }
}

/** Moves every shard off the leaving node onto the nodes that stay, then removes its peer. */
async function scaleDownStep(
  request: ManageRequest,
  scaleDown: NonNullable<ManageRequest['scaleDown']>,
  client: QdrantClient,
  deadline: number,
  deps: ManageDeps,
): Promise<ManageResponse> {
  const log = deps.logger.with({ namespace: request.cluster.namespace, name: request.cluster.name });
  const node = request.nodes.find((n) => n.index === scaleDown.node);
  const keep = new Set(request.nodes.filter((n) => scaleDown.keep.includes(n.index)).map((n) => n.host));
  if (!node) return { status: 'Drained', description: `node ${scaleDown.node} does not exist; nothing to drain`, scaleDownAllowed: true, moves: 0 };
  let moves = 0;
  const result = await drainPeer({
    client,
    host: node.host,
    mayReceive: (peer) => keep.has(hostOf(peer.uri)),
    deadline,
    pollIntervalMs: deps.pollIntervalMs,
    onStep: (step) => {
      if (step.kind === 'move_shard') moves++;
      deps.metrics.drainSteps.inc({ step: step.kind });
    },
  });
  log.info('node drained', { node: node.index, peer: result.peerId, moves });
  return {
    status: 'Drained',
    description:
      result.peerId === undefined
        ? `node ${node.index} has no peer in the cluster; nothing to drain`
        : `node ${node.index} drained: ${moves} shard(s) moved, peer ${result.peerId} removed`,
    scaleDownAllowed: true,
    moves,
    removedPeers: result.peerId === undefined ? [] : [result.peerId],
  };
}

interface RebalanceContext {
  client: QdrantClient;
  topology: Topology;
  live: Map<number, ManagedNode>;
  clientOf: (node: ManagedNode) => QdrantClient;
  deadline: number;
}

/** With a strategy and no transfer in flight, plans the moves and runs them. */
async function rebalanceStep(request: ManageRequest, context: RebalanceContext, deps: ManageDeps): Promise<ManageResponse> {
  const log = deps.logger.with({ namespace: request.cluster.namespace, name: request.cluster.name });
  const strategy = request.rebalanceStrategy;
  if (!strategy || strategy === 'disabled') return { status: 'Balanced', description: 'rebalancing is disabled for this cluster' };
  if (context.topology.collections.some((c) => c.transfers.length > 0))
    return { status: 'Skipped', description: 'shard transfers are in progress; rebalancing waits for them' };
  const placement = await placementOf(context.topology, context.live, context.clientOf);
  const plan = planRebalance(placement, strategy);
  deps.metrics.plans.inc({ strategy, result: plan.length > 0 ? 'moves' : 'balanced' });
  if (plan.length === 0) return { status: 'Balanced', description: `balanced ${strategy.replaceAll('_', ' ')} over ${placement.peers.length} peers` };
  log.info('rebalancing', { strategy, moves: plan.length });
  const result = await executePlan(plan, {
    client: context.client,
    concurrency: deps.concurrency ?? 2,
    deadline: context.deadline,
    pollIntervalMs: deps.pollIntervalMs,
    onEvent: (event) => {
      if (event.type === 'started') deps.metrics.moves.inc({ result: 'started' });
      else {
        deps.metrics.moves.inc({ result: 'finished' });
        deps.metrics.transferSeconds.observe({}, (event.ms ?? 0) / 1000);
      }
    },
  }).catch((error: unknown) => {
    deps.metrics.moves.inc({ result: 'failed' });
    throw error;
  });
  return { status: 'Rebalanced', description: `${result.done.length} shard move(s) ${strategy.replaceAll('_', ' ')}`, moves: result.done.length };
}

/**
 * onDemandReplication's two halves: drop the copies made for a node restarted earlier (those
 * whose peer is back), then copy the shards of the node about to restart. The operator
 * restarts the node only on RestartAllowed.
 */
async function restartStep(request: ManageRequest, client: QdrantClient, deadline: number, deps: ManageDeps): Promise<ManageResponse> {
  const log = deps.logger.with({ namespace: request.cluster.namespace, name: request.cluster.name });
  let released = '';
  if (request.releaseReplicas) {
    const result = await releaseTemporaryReplicas(client, request.releaseReplicas);
    deps.metrics.temporaryReplicas.inc({ action: 'released' }, result.released.length);
    released = `${result.released.length} temporary replica(s) released, ${result.pending.length} waiting for their peer`;
    if (result.released.length > 0) log.info('temporary replicas released', { released: result.released.length, pending: result.pending.length });
    if (!request.prepareRestart || result.pending.length > 0) return { status: 'Released', description: released, temporaryReplicas: result.pending };
  }
  const { node: index, mode } = request.prepareRestart!;
  const node = request.nodes.find((n) => n.index === index);
  if (!node) return { status: 'RestartAllowed', description: `node ${index} does not exist; nothing to copy`, temporaryReplicas: [] };
  const result = await replicateBeforeRestart({
    client,
    host: node.host,
    mode,
    deadline,
    pollIntervalMs: deps.pollIntervalMs,
    onReplicate: () => deps.metrics.temporaryReplicas.inc({ action: 'made' }),
  });
  log.info('restart prepared', { node: index, mode, peer: result.peerId, copies: result.replicas.length, shortfalls: result.shortfalls.length });
  const shortfall =
    result.shortfalls.length > 0 ? `; below their replication factor while it restarts (no peer can take a copy): ${result.shortfalls.join(', ')}` : '';
  return {
    status: 'RestartAllowed',
    description: `${released ? `${released}; ` : ''}node ${index} may restart: ${result.replicas.length} shard(s) copied (${mode})${shortfall}`,
    temporaryReplicas: result.replicas,
  };
}

/** The peer each ready node runs, as the node itself reports it. */
async function livePeers(request: ManageRequest, clientOf: (node: ManagedNode) => QdrantClient): Promise<Map<number, ManagedNode>> {
  const live = new Map<number, ManagedNode>();
  for (const node of request.nodes.filter((n) => n.ready)) {
    const result = (await qdrantCall(`GET /cluster on node ${node.index}`, () => clientOf(node).api().clusterStatus({}))).data.result;
    if (result?.status === 'enabled') live.set(result.peer_id, node);
  }
  return live;
}

/**
 * A peer is dead when the node at its address is ready and runs another peer: the node was
 * recreated on a new volume. A peer at an address that is no known node is left alone: it
 * may be a node the operator has not reported yet (a scale-up in flight), or one leaving.
 * A dead peer is removed when every shard it holds has an active replica on a live peer;
 * otherwise it is kept and the call fails, naming the shard, because removing it would
 * lose data.
 */
async function removeDeadPeers(
  client: QdrantClient,
  topology: Topology,
  live: Map<number, ManagedNode>,
  request: ManageRequest,
): Promise<{ peers: number[]; refused?: string }> {
  const hosts = new Map(request.nodes.map((n) => [n.host, n]));
  const dead = topology.peers.filter((p) => !live.has(p.id) && hosts.get(hostOf(p.uri))?.ready === true);
  const removed: number[] = [];
  for (const peer of dead) {
    for (const collection of topology.collections) {
      for (const shard of collection.shards) {
        if (!shard.replicas.some((r) => r.peerId === peer.id)) continue;
        if (!shard.replicas.some((r) => r.peerId !== peer.id && live.has(r.peerId) && r.state === 'Active')) {
          return {
            peers: removed,
            refused: `peer ${peer.id} (${hostOf(peer.uri) || peer.uri}) is dead and holds the only active replica of shard ${shard.id} of collection ${collection.name}; it is kept`,
          };
        }
      }
    }
    await qdrantCall(`DELETE /cluster/peer/${peer.id}?force=true`, () => client.api().removePeer({ peer_id: peer.id, force: true }));
    removed.push(peer.id);
  }
  return { peers: removed };
}

/** Shard sizes (points) come from each live node's own view of its local shards. */
async function placementOf(topology: Topology, live: Map<number, ManagedNode>, clientOf: (node: ManagedNode) => QdrantClient): Promise<Placement> {
  const sizes = new Map<string, number>();
  for (const [, node] of live) {
    for (const collection of topology.collections) {
      const placement = await readPlacement(clientOf(node), collection.name);
      for (const shard of placement.shards)
        if (shard.points !== undefined) sizes.set(`${collection.name}/${shard.id}`, Math.max(sizes.get(`${collection.name}/${shard.id}`) ?? 0, shard.points));
    }
  }
  return {
    peers: [...live.keys()],
    collections: topology.collections.map((c) => ({
      name: c.name,
      shards: c.shards.map((s) => ({
        id: s.id,
        size: sizes.get(`${c.name}/${s.id}`) ?? 0,
        replicas: s.replicas.filter((r) => r.state === 'Active').map((r) => r.peerId),
      })),
    })),
  };
}
