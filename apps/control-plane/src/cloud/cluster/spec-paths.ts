import type * as z from 'zod';
import type { FieldProblem } from './database-config.ts';

// Where a spec field came from in the request: a problem the spec's schema finds is told by
// the proto field the client wrote (longest matching spec path first).

const SOURCES: ReadonlyArray<[string, string]> = [
  ['size', 'number_of_nodes'],
  ['version', 'version'],
  ['resources.storage', 'additional_resources.disk'],
  ['resources.requests.cpu', 'reserved_cpu_percentage'],
  ['resources.requests.memory', 'reserved_memory_percentage'],
  ['resources', 'package_id'],
  ['nodeSelector', 'node_selector'],
  ['tolerations', 'tolerations'],
  ['topologySpreadConstraints', 'topology_spread_constraints'],
  ['statefulSet.pods.annotations', 'annotations'],
  ['statefulSet.pods.labels', 'pod_labels'],
  ['service.loadBalancerSourceRanges', 'allowed_ip_source_ranges'],
  ['service.annotations', 'service_annotations'],
  ['service.type', 'service_type'],
  ['storageClassNames.db', 'cluster_storage_configuration.database_storage_class'],
  ['storageClassNames.snapshots', 'cluster_storage_configuration.snapshot_storage_class'],
  ['storage.volumeSnapshotClassName', 'cluster_storage_configuration.volume_snapshot_class'],
  ['storage.volumeAttributesClassName', 'cluster_storage_configuration.volume_attributes_class'],
  ['restartAllPodsConcurrently', 'restart_policy'],
  ['rebalanceStrategy', 'rebalance_strategy'],
  ['config.audit', 'database_configuration.audit_logging'],
  ['config', 'database_configuration'],
];

const snake = (segment: string) => segment.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The tail of a spec path in the proto's spelling: indexes as [n], camelCase as snake_case, no secretKeyRef level. */
function tail(path: readonly PropertyKey[]): string {
  return path
    .filter((segment) => segment !== 'secretKeyRef')
    .map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${snake(String(segment))}`))
    .join('');
}

/** The field a spec path came from, e.g. ['tolerations', 0, 'key'] → cluster.configuration.tolerations[0].key. */
export function protoFieldOf(path: readonly PropertyKey[]): string {
  for (const [prefix, field] of SOURCES) {
    const parts = prefix.split('.');
    if (parts.every((part, i) => path[i] === part)) {
      // Maps were lists of key/value pairs: their keys are not proto paths, so they are quoted.
      const rest = path.slice(parts.length);
      const isMap = ['node_selector', 'annotations', 'pod_labels', 'service_annotations'].includes(field);
      return `cluster.configuration.${field}${isMap && rest.length ? ` key ${JSON.stringify(String(rest[0]))}` : tail(rest)}`;
    }
  }
  return `cluster.configuration${tail(path)}`;
}

export function problemsOfIssues(issues: readonly z.core.$ZodIssue[]): FieldProblem[] {
  return issues.map((issue) => ({ field: protoFieldOf(issue.path), message: issue.message }));
}
