import type { Problem } from '../parse/index.ts';
import type { QdrantClusterSpec } from '../crds/qdrant-cluster.ts';

/**
 * The parts of a cluster's spec that cannot change once it exists, with why: Kubernetes fixes a
 * PersistentVolumeClaim's StorageClass (and a StatefulSet's claim templates) at creation, so a
 * new class would be silently ignored by the volumes that already hold the data.
 */
export const IMMUTABLE_CLUSTER_FIELDS = [
  {
    path: ['storageClassNames', 'db'],
    reason: 'the database volumes exist and Kubernetes cannot move a volume to another StorageClass; restore a backup into a new cluster to use another class',
  },
  { path: ['storageClassNames', 'snapshots'], reason: 'the snapshot volumes exist and Kubernetes cannot move a volume to another StorageClass' },
] as const;

const at = (spec: unknown, path: readonly string[]) => path.reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], spec);

/** Each immutable field `after` changes, as a problem naming it (`spec.storageClassNames.db`). */
export function checkClusterUpdate(before: Partial<QdrantClusterSpec>, after: Partial<QdrantClusterSpec>): Problem[] {
  const problems: Problem[] = [];
  for (const field of IMMUTABLE_CLUSTER_FIELDS) {
    const was = at(before, field.path);
    const now = at(after, field.path);
    if (was === now) continue;
    problems.push({
      path: ['spec', ...field.path],
      code: 'immutable',
      message: `cannot change after the cluster is created (was ${JSON.stringify(was ?? null)}, got ${JSON.stringify(now ?? null)}): ${field.reason}`,
    });
  }
  return problems;
}
