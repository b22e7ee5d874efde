export { buildClusterObjects } from './cluster/build.ts';
export { buildConfigMap, qdrantConfig, initScript, bootstrapNode, configHash, CONFIG_KEY } from './cluster/config-map.ts';
export {
  buildStatefulSet,
  STORAGE_VOLUME,
  SNAPSHOTS_VOLUME,
  CONFIG_HASH_ANNOTATION,
  RESTARTED_AT_ANNOTATION,
  REPLICATED_RESTART_ANNOTATION,
  ZONE_TOPOLOGY_KEY,
  onDemandReplicationMode,
} from './cluster/stateful-set.ts';
export { buildHeadlessService, buildClientService, buildNodeServices } from './cluster/services.ts';
export { buildNetworkPolicy, CLUSTER_MANAGER_POD_LABELS, OPERATOR_POD_LABELS } from './cluster/network-policy.ts';
export { buildIngresses, TRAEFIK_API_VERSION, TRAEFIK_KINDS, TRAEFIK_CLASS_ANNOTATION } from './cluster/ingress.ts';
export { buildPodDisruptionBudget } from './cluster/pod-disruption-budget.ts';
export {
  resolveCluster,
  usesClusterManager,
  rebalanceStrategyOf,
  QDRANT_HTTP_PORT,
  QDRANT_GRPC_PORT,
  QDRANT_P2P_PORT,
  type ResolvedCluster,
} from './cluster/resolve.ts';
export { clusterLabels, podSelector, ownerReference, MANAGED_BY } from './cluster/labels.ts';
export { ManifestError } from './errors.ts';
export { normalize, type KubeObject, type OwnerReference } from './object.ts';
export { toYaml } from './yaml.ts';
export { buildInstallation, type InstallationCredentials } from './installation/build.ts';
export { buildRegionObjects, type RegionObjectsOptions, type RegistryCredentials } from './installation/region-objects.ts';
export {
  buildDesiredStateObjects,
  buildApiKeySecret,
  clusterRef,
  AGENT_FIELD_MANAGER,
  AGENT_MANAGED_BY_LABELS,
  ANNOTATION_REVISION,
  type DesiredObjectsOptions,
  type DesiredStateObjects,
  type DesiredClusterObjects,
  type ClusterDeletion,
  type ObjectRef,
} from './region/desired-objects.ts';
export { buildAgentInstallationObjects, isQdrantCrd, type AgentInstallationInput, type AgentInstallationObjects } from './region/installation-objects.ts';
export { installationHash, sha256Hex, INSTALLATION_HASH_ANNOTATION, CA_CHECKSUM_ANNOTATION } from './installation/hash.ts';
export { componentImages, clusterManagerImage, imageTagOf, registryPrefix, type ComponentName } from './installation/images.ts';
export { renderInstallScript } from './installation/script.ts';
export * from './installation/names.ts';
export { buildSettingsStatusConfigMap, readSettingsStatus, settingsCondition } from './installation/settings-status.ts';
export { OPERATOR_ROLE_RULES, OPERATOR_CLUSTER_RULES, AGENT_ROLE_RULES, AGENT_CLUSTER_RULES, agentClusterRules } from './installation/rbac.ts';
export { buildVolumeSnapshot, type VolumeSnapshotInput } from './backup/volume-snapshot.ts';
export { buildScheduledSnapshot } from './backup/scheduled.ts';
export { buildRestoredClaim, type RestoredClaimInput } from './backup/restored-claim.ts';
export * from './backup/names.ts';
export {
  releaseArtifacts,
  chartReference,
  chartValues,
  renderHelmInstall,
  CHART_NAME,
  CONTROL_PLANE_IMAGE,
  type ReleaseArtifact,
} from './installation/release.ts';
export {
  PREFLIGHT_CHECKS,
  PREFLIGHT_VARIABLES,
  MIN_KUBERNETES_MINOR,
  INSTALL_CLUSTER_RIGHTS,
  SNAPSHOT_API_GROUP,
  SNAPSHOT_API_RESOURCES,
  preflightCheck,
  preflightResult,
  formatPreflightLine,
  preflightTargets,
  controlPlaneHealthUrl,
  evaluatePreflight,
  kubernetesMinor,
  isDefaultStorageClass,
  isDefaultSnapshotClass,
  type PreflightCheck,
  type PreflightCheckId,
  type PreflightFacts,
  type PreflightTargets,
  type PreflightVariables,
} from './installation/preflight.ts';
export { renderPreflight, PREFLIGHT_STOP_MESSAGE } from './installation/preflight-script.ts';
