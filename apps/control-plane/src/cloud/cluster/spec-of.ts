import { clusterV1, commonV1 } from '@qhc/cloud-api';
import { ClusterSpecRequest, clusterResourcesOf, type ClusterRecord, type ResourcePackage } from '@qhc/schemas';
import { enumMap } from './enums.ts';
import { defined, enumValue, nonEmpty, qdrantConfigOf, type FieldProblem } from './database-config.ts';
import { problemsOfIssues } from './spec-paths.ts';
import { reservedRequests } from './resources.ts';
import { defaultQdrantVersion } from './releases.ts';

// ClusterConfiguration → the QdrantCluster spec qhc stores and the agent applies. Pure; the
// spec's own zod schema checks the result, its problems named by the proto field they came from.

export const CONFIGURATION = 'cluster.configuration';

/** What the spec takes besides the message: server state and the catalogue. */
export interface SpecContext {
  packages: readonly ResourcePackage[];
  /** JWT RBAC is on (asked at creation or enabled since). */
  jwtRbac: boolean;
  /** Suspended (SuspendCluster), kept across updates. */
  suspend: boolean;
  /** The package the cluster has now: a deactivated package stays usable for it. */
  currentPackageId?: string;
  /** qhc's own settings (qhc.v1.ClusterExtensionService), which the message has no field for: kept across updates. */
  kept?: KeptSpec;
}

export type KeptSpec = Pick<ClusterRecord['spec'], 'pauses' | 'ingress'>;

/** The part of a stored spec that UpdateCluster keeps as it is. */
export const keptOf = (spec: ClusterRecord['spec']): KeptSpec => defined({ pauses: spec.pauses, ingress: spec.ingress });

const SERVICE_TYPES = enumMap(clusterV1.ClusterServiceTypeSchema, { CLUSTER_IP: 'ClusterIP', NODE_PORT: 'NodePort', LOAD_BALANCER: 'LoadBalancer' });
const REBALANCE = enumMap(clusterV1.ClusterConfigurationRebalanceStrategySchema, {
  BY_COUNT: 'by_count',
  BY_SIZE: 'by_size',
  BY_COUNT_AND_SIZE: 'by_count_and_size',
  DISABLED: 'disabled',
});
/** Rolling: one by one; parallel: all at once; automatic: unset, the operator's choice from the replication. */
const RESTART = enumMap(clusterV1.ClusterConfigurationRestartPolicySchema, { ROLLING: 'false', PARALLEL: 'true', AUTOMATIC: 'auto' });
const OPERATORS = enumMap(clusterV1.TolerationOperatorSchema, { EXISTS: 'Exists', EQUAL: 'Equal' });
const EFFECTS = enumMap(clusterV1.TolerationEffectSchema, { NO_SCHEDULE: 'NoSchedule', PREFER_NO_SCHEDULE: 'PreferNoSchedule', NO_EXECUTE: 'NoExecute' });
const WHEN_UNSATISFIABLE = enumMap(commonV1.TopologySpreadConstraintWhenUnsatisfiableSchema, {
  DO_NOT_SCHEDULE: 'DoNotSchedule',
  SCHEDULE_ANYWAY: 'ScheduleAnyway',
});

/** key/value pairs → a map; a key given twice is refused (the second would silently win). */
export function recordOf(pairs: commonV1.KeyValue[], field: string, problems: FieldProblem[]): Record<string, string> | undefined {
  if (pairs.length === 0) return undefined;
  const record: Record<string, string> = {};
  pairs.forEach((pair, i) => {
    if (pair.key in record) problems.push({ field: `${field}[${i}].key`, message: `${JSON.stringify(pair.key)} is given twice` });
    record[pair.key] = pair.value;
  });
  return record;
}

function packageOf(config: clusterV1.ClusterConfiguration, ctx: SpecContext, problems: FieldProblem[]): ResourcePackage | undefined {
  const field = `${CONFIGURATION}.package_id`;
  const pkg = ctx.packages.find((p) => p.id === config.packageId.toLowerCase());
  if (!pkg)
    problems.push({ field, message: `${JSON.stringify(config.packageId)} is not a package of this control plane (BookingService.ListPackages lists them)` });
  else if (pkg.status === 'deactivated' && pkg.id !== ctx.currentPackageId)
    problems.push({ field, message: `package ${pkg.name} is deactivated: new clusters cannot take it` });
  return pkg;
}

/** Refused: qhc cannot honour them, and accepting them would do nothing. */
function refusals(config: clusterV1.ClusterConfiguration, problems: FieldProblem[]): void {
  // 0 is each enum's UNSPECIFIED: what a client that did not choose sends.
  if (config.gpuType !== undefined && config.gpuType !== 0)
    problems.push({ field: `${CONFIGURATION}.gpu_type`, message: 'not supported by qhc: its packages have no GPUs' });
  if (config.gpuConfiguration) problems.push({ field: `${CONFIGURATION}.gpu_configuration`, message: 'not supported by qhc: its packages have no GPUs' });
  const tier = config.clusterStorageConfiguration?.storageTierType;
  if (tier !== undefined && tier !== 0)
    problems.push({
      field: `${CONFIGURATION}.cluster_storage_configuration.storage_tier_type`,
      message: 'not supported by qhc: IOPS and throughput depend on the CSI driver; set volume_attributes_class to a VolumeAttributesClass instead',
    });
}

function placement(config: clusterV1.ClusterConfiguration, problems: FieldProblem[]) {
  const tolerations = config.tolerations.map((t, i) =>
    defined({
      key: t.key,
      operator: enumValue(t.operator, OPERATORS, `${CONFIGURATION}.tolerations[${i}].operator`, problems),
      value: t.value,
      effect: enumValue(t.effect, EFFECTS, `${CONFIGURATION}.tolerations[${i}].effect`, problems),
      tolerationSeconds: t.tolerationSeconds === undefined ? undefined : Number(t.tolerationSeconds),
    }),
  );
  const spread = config.topologySpreadConstraints.map((c, i) => ({
    maxSkew: c.maxSkew ?? 1,
    topologyKey: c.topologyKey,
    whenUnsatisfiable:
      enumValue(c.whenUnsatisfiable, WHEN_UNSATISFIABLE, `${CONFIGURATION}.topology_spread_constraints[${i}].when_unsatisfiable`, problems) ?? 'DoNotSchedule',
  }));
  return defined({
    nodeSelector: recordOf(config.nodeSelector, `${CONFIGURATION}.node_selector`, problems),
    tolerations: tolerations.length ? tolerations : undefined,
    topologySpreadConstraints: spread.length ? spread : undefined,
  });
}

function exposure(config: clusterV1.ClusterConfiguration, problems: FieldProblem[]) {
  return nonEmpty({
    type: enumValue(config.serviceType, SERVICE_TYPES, `${CONFIGURATION}.service_type`, problems),
    annotations: recordOf(config.serviceAnnotations, `${CONFIGURATION}.service_annotations`, problems),
    loadBalancerSourceRanges: config.allowedIpSourceRanges.length ? config.allowedIpSourceRanges : undefined,
  });
}

function storage(s: clusterV1.ClusterStorageConfiguration | undefined) {
  return {
    storageClassNames: nonEmpty({ db: s?.databaseStorageClass, snapshots: s?.snapshotStorageClass }),
    storage: nonEmpty({ volumeSnapshotClassName: s?.volumeSnapshotClass, volumeAttributesClassName: s?.volumeAttributesClass }),
  };
}

function draftSpec(config: clusterV1.ClusterConfiguration, pkg: ResourcePackage | undefined, ctx: SpecContext, problems: FieldProblem[]) {
  const restart = enumValue(config.restartPolicy, RESTART, `${CONFIGURATION}.restart_policy`, problems);
  const pods = nonEmpty({
    annotations: recordOf(config.annotations, `${CONFIGURATION}.annotations`, problems),
    labels: recordOf(config.podLabels, `${CONFIGURATION}.pod_labels`, problems),
  });
  const version = config.version === undefined || config.version === 'latest' ? defaultQdrantVersion() : config.version;
  const resources = pkg ? { ...clusterResourcesOf(pkg, config.additionalResources?.disk ?? 0), ...reservedRequests(pkg, config) } : undefined;
  return defined({
    size: config.numberOfNodes,
    version,
    suspend: ctx.suspend || undefined,
    ...ctx.kept,
    resources,
    config: qdrantConfigOf(config.databaseConfiguration, ctx.jwtRbac, `${CONFIGURATION}.database_configuration`, problems),
    service: exposure(config, problems),
    statefulSet: pods ? { pods } : undefined,
    restartAllPodsConcurrently: restart === 'true' ? true : restart === 'false' ? false : undefined,
    rebalanceStrategy: enumValue(config.rebalanceStrategy, REBALANCE, `${CONFIGURATION}.rebalance_strategy`, problems),
    ...placement(config, problems),
    ...storage(config.clusterStorageConfiguration),
  });
}

/** The spec for `config`, or the problems (proto paths) that refuse it. */
export function specOfConfiguration(
  config: clusterV1.ClusterConfiguration | undefined,
  ctx: SpecContext,
): { spec: ClusterRecord['spec']; problems?: undefined } | { problems: FieldProblem[] } {
  if (!config) return { problems: [{ field: CONFIGURATION, message: 'missing; the configuration is required' }] };
  const problems: FieldProblem[] = [];
  if (config.version !== undefined && config.version !== 'latest' && !/^v\d+\.\d+\.\d+$/.test(config.version))
    problems.push({ field: `${CONFIGURATION}.version`, message: `${JSON.stringify(config.version)} is not a version such as "v1.16.3" or "latest"` });
  refusals(config, problems);
  const pkg = packageOf(config, ctx, problems);
  const draft = draftSpec(config, pkg, ctx, problems);
  const parsed = ClusterSpecRequest.safeParse(draft);
  if (!parsed.success) problems.push(...problemsOfIssues(parsed.error.issues));
  if (problems.length > 0 || !parsed.success) return { problems };
  return { spec: parsed.data };
}
