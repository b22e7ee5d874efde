import type { KubeObject } from '@qhc/kube';
import { internStrings } from './intern.ts';

// The informer cache keeps what a reconcile reads and nothing else (controller-runtime's cache
// transforms): at thousands of clusters, managedFields alone are about half of what the
// apiserver sends, and a pod's spec and status are mostly fields no step looks at. The list
// of kept fields is held to the code by test/cache-transform.test.ts, which runs the steps'
// scenarios on cached objects that record what is read and fails on a read of a dropped field.

/**
 * Dot paths kept per kind, under the object's root; a path through a list applies to each of
 * its items (`spec.containers.image`: the image of every container). A path keeps everything
 * under it. Fields not under a kept path are dropped. Paths under `metadata` add to
 * KEPT_METADATA for that kind.
 */
export const KEPT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  // Compared field by field with what the operator applies (applyIfChanged's isSubset): all of
  // what it writes stays, nothing of what the apiserver reports about it.
  ConfigMap: ['data', 'binaryData'],
  Service: ['spec'],
  NetworkPolicy: ['spec'],
  PodDisruptionBudget: ['spec'],
  Ingress: ['spec'],
  // Also what the status says of readiness and the rollout (status.ts, guarded-restart.ts): not
  // the rest of it, whose changes would each start a pass that finds nothing to do.
  StatefulSet: [
    'spec',
    'status.observedGeneration',
    'status.replicas',
    'status.readyReplicas',
    'status.updatedReplicas',
    'status.currentRevision',
    'status.updateRevision',
  ],
  // The node statuses and readiness (status.ts), the node's version (its image).
  Pod: [
    'spec.containers.name',
    'spec.containers.image',
    'status.phase',
    'status.startTime',
    'status.reason',
    'status.message',
    'status.conditions.type',
    'status.conditions.status',
    'status.containerStatuses.name',
    'status.containerStatuses.restartCount',
  ],
  // Volume growth (volumes.ts) and the node statuses' volume.
  PersistentVolumeClaim: ['spec.storageClassName', 'spec.resources.requests', 'status.phase', 'status.capacity'],
  // The API keys' values, hashed onto the pod template.
  Secret: ['data'],
  // A pass reads its cluster from the controller's informer (kept up to date with the
  // operator's own writes, Informer.wrote): the spec decides everything, the status is what
  // the next status is computed from and compared with. The two metadata fields are read by the
  // spec's validation (the QdrantCluster schema declares them).
  QdrantCluster: ['spec', 'status', 'metadata.creationTimestamp', 'metadata.generateName'],
};

/** The metadata every kind keeps: identity, the labels and owners the cache is searched by, what steps act on. */
export const KEPT_METADATA: readonly string[] = [
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'labels',
  'annotations',
  'ownerReferences',
  'deletionTimestamp',
  'finalizers',
];

type Tree = { [key: string]: Tree | true };

function compile(paths: readonly string[]): Tree {
  const root: Tree = {};
  for (const path of paths) {
    const parts = path.split('.');
    let node = root;
    for (const [i, part] of parts.entries()) {
      if (node[part] === true) break;
      if (i === parts.length - 1) node[part] = true;
      else node = (node[part] ??= {}) as Tree;
    }
  }
  return root;
}

/** Only the fields under `tree`; lists are projected item by item. */
function project(value: unknown, tree: Tree | true): unknown {
  if (tree === true || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => project(item, tree));
  const source = value as Record<string, unknown>;
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(tree)) if (source[key] !== undefined) kept[key] = project(source[key], tree[key]!);
  return kept;
}

interface ManagedFieldsEntry {
  manager?: string;
  subresource?: string;
}

/**
 * managedFields without their field sets: which managers wrote the object (and whether to a
 * subresource) is all prune reads (remove-owned.ts's otherWriters); fieldsV1 is most of the size.
 */
function writers(entries: unknown): ManagedFieldsEntry[] | undefined {
  if (!Array.isArray(entries)) return undefined;
  const seen = new Set<string>();
  const kept: ManagedFieldsEntry[] = [];
  for (const { manager, subresource } of entries as ManagedFieldsEntry[]) {
    const key = `${manager ?? ''}/${subresource ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(subresource ? { manager, subresource } : { manager });
  }
  return kept;
}

const METADATA = compile(KEPT_METADATA);
const BY_KIND = new Map(Object.entries(KEPT_FIELDS).map(([kind, paths]) => [kind, compile(paths)]));

/** An object's own uid and version are never shared: interning them would only cost time. */
const UNIQUE_METADATA: ReadonlySet<string> = new Set(['uid', 'resourceVersion']);
/** The wire metadata (managedFields and all) is replaced, not walked. */
const METADATA_KEY: ReadonlySet<string> = new Set(['metadata']);

/**
 * The informers' transform for `kind`: a new object with only the kept fields (so the wire
 * object is garbage at once), its strings interned (./intern.ts: one copy of each label,
 * owner, image… across the cache). A kind without a list is kept whole but for its managedFields.
 */
export function cacheTransform(kind: string): (object: KubeObject) => KubeObject {
  const tree = BY_KIND.get(kind);
  return (object) => {
    const metadata = project(object.metadata, METADATA) as KubeObject['metadata'];
    const managers = writers(object.metadata.managedFields);
    if (managers) metadata.managedFields = managers;
    internStrings(metadata, UNIQUE_METADATA);
    if (!tree) return { ...internStrings({ ...object }, METADATA_KEY), metadata };
    // A kind may keep metadata fields beyond the common ones (the cluster's creationTimestamp).
    const kept = project(object, tree) as { metadata?: object };
    return { ...internStrings({ apiVersion: object.apiVersion, kind: object.kind, ...kept }, METADATA_KEY), metadata: { ...metadata, ...kept.metadata } };
  };
}
