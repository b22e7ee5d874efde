// QdrantClusters on the sandbox and what "converged" means for the fault suite: every cluster
// Healthy at its current generation, exactly one StatefulSet per cluster, at the cluster's size,
// rolled out (observedGeneration = generation, every replica ready).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@qhc/kube-sandbox';
import { createLogger, type KubeClient, type KubeObject } from '@qhc/kube';
import { startOperator, type OperatorOptions, type RunningOperator } from '@qhc/operator';
import { QDRANT_API_VERSION, allKinds, buildCrd, clusterResourceName } from '@qhc/schemas';
import { qdrantClusterFixture } from '@qhc/schemas/test';

export type Cluster = KubeObject & { spec: { size: number }; status?: { phase?: string; observedGeneration?: number } };
export type StatefulSet = KubeObject & { spec: { replicas?: number }; status?: { observedGeneration?: number; readyReplicas?: number } };

export const clusterRef = (namespace: string, id: string) => ({
  apiVersion: QDRANT_API_VERSION,
  kind: 'QdrantCluster',
  namespace,
  name: clusterResourceName(id),
});

export function clusterObject(namespace: string, id: string, size = 1): KubeObject {
  // Small requests: 50 clusters of up to 2 pods must fit the sandbox's one node (64 CPUs).
  const spec = { version: 'v1.16.2', size, resources: { cpu: '100m', memory: '256Mi', storage: '1Gi' } };
  return qdrantClusterFixture(id, spec, { namespace, labels: { 'customer-id': 'faults' } });
}

export async function installCrds(client: KubeClient, namespace: string): Promise<void> {
  for (const kind of allKinds) await client.apply(buildCrd(kind) as unknown as KubeObject, { fieldManager: 'qhc-crd-installer' });
  await waitFor('CRDs served', () => client.list({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster' }, { namespace }).then(() => true));
}

export interface Snapshot {
  clusters: Map<string, Cluster>;
  statefulSets: Map<string, StatefulSet[]>;
}

/** The namespace's clusters and StatefulSets, by cluster id. */
export async function snapshot(client: KubeClient, namespace: string): Promise<Snapshot> {
  const [clusters, sets] = await Promise.all([
    client.list<Cluster>({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster' }, { namespace }),
    client.list<StatefulSet>({ apiVersion: 'apps/v1', kind: 'StatefulSet' }, { namespace }),
  ]);
  const statefulSets = new Map<string, StatefulSet[]>();
  for (const sts of sets.items) {
    const id = sts.metadata.labels?.['cluster-id'];
    if (id) statefulSets.set(id, [...(statefulSets.get(id) ?? []), sts]);
  }
  return { clusters: new Map(clusters.items.map((c): [string, Cluster] => [c.metadata.labels?.['cluster-id'] ?? c.metadata.name!, c])), statefulSets };
}

/** Why the cluster is not converged, or undefined when it is. `sizes` are the acknowledged sizes. */
export function notConverged(s: Snapshot, id: string, size: number): string | undefined {
  const c = s.clusters.get(id);
  if (!c) return 'missing';
  if (c.spec.size !== size) return `size ${c.spec.size}, acknowledged ${size}`;
  const sets = s.statefulSets.get(id) ?? [];
  if (sets.length !== 1) return `${sets.length} StatefulSets`;
  const sts = sets[0]!;
  if (sts.spec.replicas !== size) return `StatefulSet replicas ${sts.spec.replicas}`;
  if (sts.status?.observedGeneration !== sts.metadata.generation || (sts.status?.readyReplicas ?? 0) !== size)
    return `StatefulSet rolling out (${JSON.stringify(sts.status ?? {})})`;
  if (c.status?.phase !== 'Healthy' || c.status.observedGeneration !== c.metadata.generation)
    return `phase ${c.status?.phase} at generation ${c.status?.observedGeneration}/${c.metadata.generation}`;
  return undefined;
}

/**
 * Waits until every acknowledged cluster is converged; returns the moment it saw that (for
 * the recovery figure) and the last snapshot. Polls: a watch would itself be at the mercy of the fault.
 */
export async function waitConverged(
  client: KubeClient,
  namespace: string,
  sizes: Map<string, number>,
  timeoutMs = 120_000,
): Promise<{ at: number; last: Snapshot }> {
  let last: Snapshot | undefined;
  let pending: string[] = [];
  await waitFor(
    `${sizes.size} clusters converged`,
    async () => {
      last = await snapshot(client, namespace).catch(() => undefined);
      if (!last) return undefined;
      pending = [...sizes].flatMap(([id, size]) => {
        const why = notConverged(last!, id, size);
        return why ? [`${id}: ${why}`] : [];
      });
      return pending.length === 0 ? true : undefined;
    },
    { timeoutMs, intervalMs: 250, onTimeout: () => `not converged (${pending.length}): ${pending.slice(0, 10).join('; ')}` },
  );
  return { at: Date.now(), last: last! };
}

/** Acknowledged clusters missing from the snapshot or not at their acknowledged size. */
export function lost(s: Snapshot, sizes: Map<string, number>): number {
  return [...sizes].filter(([id, size]) => s.clusters.get(id)?.spec.size !== size).length;
}

export async function startTestOperator(kubeconfigPath: string, namespace: string, extra: Partial<OperatorOptions> = {}): Promise<RunningOperator> {
  const dir = mkdtempSync(join(tmpdir(), 'qhc-faults-op-'));
  writeFileSync(join(dir, 'settings.yaml'), 'settings:\n  app_environment: local\n');
  return startOperator({
    settingsPath: join(dir, 'settings.yaml'),
    kubeconfigPath,
    namespace,
    leaseNamespace: namespace,
    port: 0,
    logger: createLogger({ level: 'error', component: 'qhc-operator' }),
    ...extra,
  });
}
