import { Code, ConnectError } from '@connectrpc/connect';
import type { clusterV1 } from '@qhc/cloud-api';
import { problemsText } from '../hybrid/problems.ts';
import type { FieldProblem } from './database-config.ts';

// The Cluster message's own fields (the configuration is spec-of.ts's), as the Cloud API rules
// them. Pure: a list of problems, each naming its proto field.

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const NAME = /^[a-zA-Z0-9-_]+$/;
const COST_LABEL = /^([a-z0-9A-Z]([-a-z0-9A-Z]*[a-z0-9A-Z])?(\.[a-z0-9A-Z]([-a-z0-9A-Z]*[a-z0-9A-Z])?)*\/)?([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const IPV4_PREFIX = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}\/(3[0-2]|[12]?\d)$/;

export const isUuid = (value: string) => UUID.test(value);

/** The InvalidArgument a refused request answers: every problem, each named by its field. */
export function invalid(problems: readonly FieldProblem[]): ConnectError {
  return new ConnectError(problemsText(problems.map((p) => `${p.field}: ${p.message}`)), Code.InvalidArgument);
}

export function checkName(name: string, field: string): FieldProblem[] {
  if (name.length < 2 || name.length > 64) return [{ field, message: `must be 2 to 64 characters, got ${name.length}` }];
  if (!NAME.test(name)) return [{ field, message: `${JSON.stringify(name)} may contain only letters, digits, "-" and "_"` }];
  return [];
}

const limit = (items: readonly unknown[], max: number, field: string): FieldProblem[] =>
  items.length > max ? [{ field, message: `must have at most ${max} items, got ${items.length}` }] : [];

const at = (name: string) => `cluster.configuration.${name}`;

function checkConfigurationLists(config: clusterV1.ClusterConfiguration): FieldProblem[] {
  const problems = [
    ...limit(config.nodeSelector, 10, at('node_selector')),
    ...limit(config.tolerations, 10, at('tolerations')),
    ...limit(config.annotations, 10, at('annotations')),
    ...limit(config.allowedIpSourceRanges, 40, at('allowed_ip_source_ranges')),
    ...limit(config.serviceAnnotations, 64, at('service_annotations')),
    ...limit(config.podLabels, 10, at('pod_labels')),
    ...limit(config.topologySpreadConstraints, 10, at('topology_spread_constraints')),
  ];
  // Items are checked only once their count is: a refusal costs one problem per field, not one per item.
  if (problems.length === 0)
    config.allowedIpSourceRanges.forEach((range, i) => {
      if (!IPV4_PREFIX.test(range))
        problems.push({ field: `${at('allowed_ip_source_ranges')}[${i}]`, message: `${JSON.stringify(range)} is not an IPv4 CIDR such as "10.0.0.0/8"` });
    });
  for (const [value, name] of [
    [config.reservedCpuPercentage, 'reserved_cpu_percentage'],
    [config.reservedMemoryPercentage, 'reserved_memory_percentage'],
  ] as const)
    if (value !== undefined && (value < 1 || value > 80)) problems.push({ field: at(name), message: `must be between 1 and 80, got ${value}` });
  if (!isUuid(config.packageId)) problems.push({ field: at('package_id'), message: `${JSON.stringify(config.packageId)} is not a UUID` });
  return problems;
}

/** The fields a client sets on create and update (the server's are checked by the caller). */
export function checkClusterFields(cluster: clusterV1.Cluster): FieldProblem[] {
  const problems = checkName(cluster.name, 'cluster.name');
  if (cluster.cloudProviderId !== 'hybrid')
    problems.push({
      field: 'cluster.cloud_provider_id',
      message: `must be "hybrid": qhc runs clusters in hybrid environments only, got ${JSON.stringify(cluster.cloudProviderId)}`,
    });
  if (!isUuid(cluster.cloudProviderRegionId))
    problems.push({
      field: 'cluster.cloud_provider_region_id',
      message: `must be the UUID of a hybrid environment, got ${JSON.stringify(cluster.cloudProviderRegionId)}`,
    });
  const labels = limit(cluster.labels, 10, 'cluster.labels');
  for (const p of labels) problems.push(p);
  if (labels.length === 0)
    cluster.labels.forEach((label, i) => {
      if (!label.key) problems.push({ field: `cluster.labels[${i}].key`, message: 'must not be empty' });
    });
  const cost = cluster.costAllocationLabel;
  if (cost !== undefined && (cost.length > 253 || !COST_LABEL.test(cost)))
    problems.push({ field: 'cluster.cost_allocation_label', message: `${JSON.stringify(cost)} is not a label value such as "team-a" or "example.com/team-a"` });
  if (cluster.configuration) for (const p of checkConfigurationLists(cluster.configuration)) problems.push(p);
  return problems;
}

/** Create: the server sets id, created_at, deleted_at and state. */
export function checkServerFieldsEmpty(cluster: clusterV1.Cluster): FieldProblem[] {
  const set = (
    [
      ['id', cluster.id !== ''],
      ['created_at', cluster.createdAt !== undefined],
      ['deleted_at', cluster.deletedAt !== undefined],
      ['state', cluster.state !== undefined],
    ] as const
  ).filter(([, isSet]) => isSet);
  return set.map(([name]) => ({ field: `cluster.${name}`, message: 'is set by the server; leave it empty' }));
}
