// The wire contract of ClusterService, AuthService and BookingService: names, rpcs, REST routes, the
// authorization options qhc reads, and the field numbers and types the Terraform provider and qcloud rely on.
import { getOption, hasOption } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { authV1, bookingV1, clusterV1, commonV1 } from '../src/index.ts';
import { checkFields, checkService, methodOf, type FieldRow, type RouteRow } from './descriptor-check.ts';

const TS = 'google.protobuf.Timestamp';
const KV = 'repeated qdrant.cloud.common.v1.KeyValue';
const CL = 'qdrant.cloud.cluster.v1';

const clusterFields: FieldRow[] = [
  ['Cluster', 'id', 1, 'string'],
  ['Cluster', 'created_at', 2, TS],
  ['Cluster', 'account_id', 3, 'string'],
  ['Cluster', 'name', 4, 'string'],
  ['Cluster', 'deleted_at', 5, TS],
  ['Cluster', 'cloud_provider_id', 10, 'string'],
  ['Cluster', 'cloud_provider_region_id', 11, 'string'],
  ['Cluster', 'labels', 12, KV],
  ['Cluster', 'cost_allocation_label', 13, 'optional string'],
  ['Cluster', 'configuration', 20, `${CL}.ClusterConfiguration`],
  ['Cluster', 'state', 100, `${CL}.ClusterState`],
  ['ClusterConfiguration', 'last_modified_at', 1, TS],
  ['ClusterConfiguration', 'number_of_nodes', 2, 'uint32'],
  ['ClusterConfiguration', 'version', 3, 'optional string'],
  ['ClusterConfiguration', 'package_id', 4, 'string'],
  ['ClusterConfiguration', 'additional_resources', 5, `optional ${CL}.AdditionalResources`],
  ['ClusterConfiguration', 'database_configuration', 7, `optional ${CL}.DatabaseConfiguration`],
  ['ClusterConfiguration', 'node_selector', 8, KV],
  ['ClusterConfiguration', 'tolerations', 9, `repeated ${CL}.Toleration`],
  ['ClusterConfiguration', 'annotations', 10, KV],
  ['ClusterConfiguration', 'allowed_ip_source_ranges', 11, 'repeated string'],
  ['ClusterConfiguration', 'service_type', 12, `optional ${CL}.ClusterServiceType`],
  ['ClusterConfiguration', 'service_annotations', 13, KV],
  ['ClusterConfiguration', 'pod_labels', 14, KV],
  ['ClusterConfiguration', 'reserved_cpu_percentage', 20, 'optional uint32'],
  ['ClusterConfiguration', 'reserved_memory_percentage', 21, 'optional uint32'],
  ['ClusterConfiguration', 'gpu_type', 22, `optional ${CL}.ClusterConfigurationGpuType`],
  ['ClusterConfiguration', 'restart_policy', 23, `optional ${CL}.ClusterConfigurationRestartPolicy`],
  ['ClusterConfiguration', 'rebalance_strategy', 24, `optional ${CL}.ClusterConfigurationRebalanceStrategy`],
  ['ClusterConfiguration', 'topology_spread_constraints', 25, 'repeated qdrant.cloud.common.v1.TopologySpreadConstraint'],
  ['ClusterConfiguration', 'cluster_storage_configuration', 26, `optional ${CL}.ClusterStorageConfiguration`],
  ['ClusterConfiguration', 'gpu_configuration', 27, `optional ${CL}.ClusterConfigurationGpuConfiguration`],
];

const stateFields: FieldRow[] = [
  ['ClusterState', 'version', 1, 'string'],
  ['ClusterState', 'nodes_up', 2, 'uint32'],
  ['ClusterState', 'restarted_at', 3, TS],
  ['ClusterState', 'phase', 4, `${CL}.ClusterPhase`],
  ['ClusterState', 'reason', 5, 'string'],
  ['ClusterState', 'endpoint', 6, `${CL}.ClusterEndpoint`],
  ['ClusterState', 'resources', 7, `${CL}.ClusterNodeResourcesSummary`],
  ['ClusterState', 'scalability_info', 8, `${CL}.ClusterScalabilityInfo`],
  ['ClusterState', 'nodes', 9, `repeated ${CL}.ClusterNodeInfo`],
  ['ClusterState', 'jwt_rbac', 10, 'bool'],
  ['ClusterState', 'capabilities', 11, `${CL}.ClusterCapabilities`],
  ['ClusterEndpoint', 'url', 1, 'string'],
  ['ClusterEndpoint', 'rest_port', 2, 'int32'],
  ['ClusterEndpoint', 'grpc_port', 3, 'int32'],
  ['UpdateClusterRequest', 'update_mask', 2, 'google.protobuf.FieldMask'],
  ['DeleteClusterRequest', 'delete_backups', 3, 'optional bool'],
  ['DeleteClusterRequest', 'force', 4, 'optional bool'],
  ['DatabaseConfigurationService', 'api_key', 1, 'optional qdrant.cloud.common.v1.SecretKeyRef'],
  ['DatabaseConfigurationService', 'enable_tls', 4, 'optional bool'],
];

const keyFields: FieldRow[] = [
  ['ManagementKey', 'id', 1, 'string'],
  ['ManagementKey', 'account_id', 2, 'string'],
  ['ManagementKey', 'created_at', 3, TS],
  ['ManagementKey', 'prefix', 4, 'string'],
  ['ManagementKey', 'key', 5, 'string'],
];

const packageFields: FieldRow[] = [
  ['Package', 'id', 1, 'string'],
  ['Package', 'name', 2, 'string'],
  ['Package', 'type', 3, 'string'],
  ['Package', 'resource_configuration', 4, 'qdrant.cloud.booking.v1.ResourceConfiguration'],
  ['Package', 'currency', 5, 'string'],
  ['Package', 'unit_int_price_per_hour', 6, 'int32'],
  ['Package', 'status', 7, 'qdrant.cloud.booking.v1.PackageStatus'],
  ['Package', 'tier', 9, 'qdrant.cloud.booking.v1.PackageTier'],
  ['Package', 'multi_az', 11, 'bool'],
  ['ResourceConfiguration', 'ram', 1, 'string'],
  ['ResourceConfiguration', 'cpu', 2, 'string'],
  ['ResourceConfiguration', 'disk', 3, 'string'],
  ['ListPackagesRequest', 'cloud_provider_id', 2, 'string'],
  ['ListPackagesRequest', 'cloud_provider_region_id', 3, 'optional string'],
];

const CLUSTERS = '/api/cluster/v1/accounts/{account_id}/clusters';
const ONE_CLUSTER = `${CLUSTERS}/{cluster_id}`;
const clusterRoutes: RouteRow[] = [
  ['ListClusters', 'get', CLUSTERS, 'read:clusters'],
  ['GetCluster', 'get', ONE_CLUSTER, 'read:clusters'],
  ['GetClusterDownscaleRisk', 'get', `${ONE_CLUSTER}/downscale-risk`, 'read:clusters'],
  ['CreateCluster', 'post', '/api/cluster/v1/accounts/{cluster.account_id}/clusters', 'write:clusters'],
  ['CreateClusterFromBackup', 'post', '/api/cluster/v1/accounts/{account_id}/backups/{backup_id}/clusters', 'restore:backups write:clusters'],
  ['UpdateCluster', 'put', '/api/cluster/v1/accounts/{cluster.account_id}/clusters/{cluster.id}', 'write:clusters'],
  ['DeleteCluster', 'delete', ONE_CLUSTER, 'delete:clusters'],
  ['RestartCluster', 'post', `${ONE_CLUSTER}/restart`, 'write:clusters'],
  ['SuspendCluster', 'post', `${ONE_CLUSTER}/suspend`, 'write:clusters'],
  ['UnsuspendCluster', 'post', `${ONE_CLUSTER}/unsuspend`, 'write:clusters'],
  ['EnableClusterJwtRbac', 'post', `${ONE_CLUSTER}/enable-jwt`, 'write:clusters'],
  ['SuggestClusterName', 'get', `${CLUSTERS}/suggest-name`, ''],
  ['ListQdrantReleases', 'get', '/api/cluster/v1/accounts/{account_id}/releases', 'read:clusters'],
  ['GetQdrantRelease', 'get', '/api/cluster/v1/accounts/{account_id}/releases/{version}', 'read:clusters'],
];

const KEYS = '/api/auth/v1/accounts/{account_id}/management-keys';
const authRoutes: RouteRow[] = [
  ['ListManagementKeys', 'get', KEYS, 'read:management_keys'],
  ['CreateManagementKey', 'post', '/api/auth/v1/accounts/{management_key.account_id}/management-keys', 'write:management_keys'],
  ['DeleteManagementKey', 'delete', `${KEYS}/{management_key_id}`, 'delete:management_keys'],
];

const BOOKING = '/api/booking/v1/accounts/{account_id}';
const bookingRoutes: RouteRow[] = [
  ['ListPackages', 'get', `${BOOKING}/packages`, ''],
  ['GetPackage', 'get', `${BOOKING}/packages/{id}`, ''],
  ['ListGlobalPackages', 'get', '/api/booking/v1/packages', '-'],
  ['GetQuote', 'post', `${BOOKING}/quote`, 'write:clusters'],
  ['GetBackupQuote', 'post', `${BOOKING}/backup-quote`, 'write:backups'],
  ['ListInferenceModels', 'get', `${BOOKING}/inference-models`, ''],
  ['ListStorageTierTypes', 'get', `${BOOKING}/storage-tiers`, ''],
];

describe('ClusterService', () => {
  checkService(clusterV1.ClusterService, 'qdrant.cloud.cluster.v1.ClusterService', clusterRoutes);
});

describe('Cluster and ClusterConfiguration', () => {
  checkFields(clusterV1.file_qdrant_cloud_cluster_v1_cluster, clusterFields);
});

describe('ClusterState, its endpoint and the request flags', () => {
  checkFields(clusterV1.file_qdrant_cloud_cluster_v1_cluster, stateFields);
});

describe('AuthService', () => {
  checkService(authV1.AuthService, 'qdrant.cloud.auth.v1.AuthService', authRoutes);
  checkFields(authV1.file_qdrant_cloud_auth_v1_auth, keyFields);
});

describe('BookingService', () => {
  checkService(bookingV1.BookingService, 'qdrant.cloud.booking.v1.BookingService', bookingRoutes);
  checkFields(bookingV1.file_qdrant_cloud_booking_v1_booking, packageFields);
});

describe('the authorization options qhc reads', () => {
  it('takes the account of a create or update from the body', () => {
    expect(getOption(methodOf(clusterV1.ClusterService, 'CreateCluster'), commonV1.account_id_expression)).toBe('cluster.account_id');
    expect(getOption(methodOf(clusterV1.ClusterService, 'UpdateCluster'), commonV1.account_id_expression)).toBe('cluster.account_id');
    expect(getOption(methodOf(authV1.AuthService, 'CreateManagementKey'), commonV1.account_id_expression)).toBe('management_key.account_id');
    expect(hasOption(methodOf(clusterV1.ClusterService, 'GetCluster'), commonV1.account_id_expression)).toBe(false);
  });
  it('requires both permissions of CreateClusterFromBackup and lets anyone list the global packages', () => {
    const fromBackup = methodOf(clusterV1.ClusterService, 'CreateClusterFromBackup');
    expect(hasOption(fromBackup, commonV1.requires_all_permissions)).toBe(true);
    expect(getOption(fromBackup, commonV1.requires_all_permissions)).toBe(true);
    const globalPackages = methodOf(bookingV1.BookingService, 'ListGlobalPackages');
    expect(hasOption(globalPackages, commonV1.requires_authentication)).toBe(true);
    expect(getOption(globalPackages, commonV1.requires_authentication)).toBe(false);
    // Unset means authentication is required (a bool option cannot say so by its default).
    expect(hasOption(methodOf(clusterV1.ClusterService, 'GetCluster'), commonV1.requires_authentication)).toBe(false);
  });
  it('keeps the extension numbers of the public API', () => {
    const numbers = [commonV1.permissions, commonV1.account_id_expression, commonV1.requires_authentication, commonV1.requires_all_permissions].map(
      (e) => e.number,
    );
    expect(numbers).toEqual([50001, 50002, 50003, 50005]);
  });
});
