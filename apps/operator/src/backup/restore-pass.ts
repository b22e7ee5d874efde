import type { OperatorSettings, QdrantCluster, QdrantClusterRestore, QdrantClusterRestoreStatus } from '@qhc/schemas';
import type { KubeObject } from '@qhc/kube';
import type { BackupDeps } from './common.ts';
import type { RestoreSource } from './restore-checks.ts';

/** On a cluster being restored in place: the restore's uid and the cluster's suspend before it. */
export const ANNOTATION_RESTORE_IN_PROGRESS = 'qhc.dev/restore-in-progress';
export const ANNOTATION_SUSPEND_BEFORE = 'qhc.dev/suspend-before-restore';

export type ClusterObject = KubeObject & QdrantCluster;
export type Claim = KubeObject & { spec: { dataSource?: { name?: string } }; metadata: { annotations?: Record<string, string> } };

export interface RestorePass {
  readonly deps: BackupDeps;
  /** Read once: a reload while the pass runs applies from the next one. */
  readonly settings: OperatorSettings;
  readonly ref: { apiVersion: string; kind: string; namespace: string; name: string };
  /** One clock reading for the whole pass, taken once the restore is read. */
  now: number;
  object?: KubeObject;
  restore?: QdrantClusterRestore;
  uid: string;
  /** The status with startedAt, as every status this pass writes starts from. */
  started: QdrantClusterRestoreStatus;
  source?: RestoreSource;
  /** In place: the cluster, its database claims' names and the claims that exist. */
  cluster?: ClusterObject;
  claims: string[];
  live: Map<string, Claim>;
}

export function loaded(pass: RestorePass): { object: KubeObject; restore: QdrantClusterRestore; source: RestoreSource } {
  if (!pass.object || !pass.restore || !pass.source) throw new Error(`restore ${pass.ref.namespace}/${pass.ref.name}: a step ran before its snapshot was read`);
  return { object: pass.object, restore: pass.restore, source: pass.source };
}
