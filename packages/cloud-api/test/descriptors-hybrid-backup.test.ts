// The wire contract with Qdrant Cloud's clients: service and rpc names, field numbers and types, REST routes.
// A renumbered or retyped field breaks the Terraform provider silently, so every number is pinned here.
import { getOption, hasOption, ScalarType, type DescField, type DescFile, type DescMessage, type DescMethod, type DescService } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { backupV1, commonV1, databaseApiKeyV2, http, hybridV1 } from '../src/index.ts';

const { permissions, requires_all_permissions } = commonV1;

type FieldRow = readonly [message: string, field: string, num: number, type: string];
// permissions: the method's qdrant.cloud.common.v1.permissions, space-separated, as qhc's auth reads them.
type RouteRow = readonly [rpc: string, verb: string, path: string, permissions: string];

const TS = 'google.protobuf.Timestamp';
const DURATION = 'google.protobuf.Duration';
const KV = 'repeated qdrant.cloud.common.v1.KeyValue';
const HYB = 'qdrant.cloud.hybrid.v1';
const BAK = 'qdrant.cloud.cluster.backup.v1';

const hybridFields: FieldRow[] = [
  ['HybridCloudEnvironment', 'account_id', 1, 'string'],
  ['HybridCloudEnvironment', 'id', 2, 'string'],
  ['HybridCloudEnvironment', 'created_at', 3, TS],
  ['HybridCloudEnvironment', 'last_modified_at', 4, TS],
  ['HybridCloudEnvironment', 'name', 5, 'string'],
  ['HybridCloudEnvironment', 'created_by_email', 6, 'string'],
  ['HybridCloudEnvironment', 'bootstrap_commands_generated', 19, 'bool'],
  ['HybridCloudEnvironment', 'configuration', 20, `optional ${HYB}.HybridCloudEnvironmentConfiguration`],
  ['HybridCloudEnvironment', 'status', 21, `optional ${HYB}.HybridCloudEnvironmentStatus`],
  ['HybridCloudEnvironmentConfiguration', 'last_modified_at', 1, TS],
  ['HybridCloudEnvironmentConfiguration', 'namespace', 4, 'string'],
  ['HybridCloudEnvironmentConfiguration', 'http_proxy_url', 5, 'optional string'],
  ['HybridCloudEnvironmentConfiguration', 'https_proxy_url', 6, 'optional string'],
  ['HybridCloudEnvironmentConfiguration', 'no_proxy_configs', 7, 'repeated string'],
  ['HybridCloudEnvironmentConfiguration', 'container_registry_url', 8, 'optional string'],
  ['HybridCloudEnvironmentConfiguration', 'chart_repository_url', 9, 'optional string'],
  ['HybridCloudEnvironmentConfiguration', 'registry_secret_name', 10, 'optional string'],
  ['HybridCloudEnvironmentConfiguration', 'ca_certificates', 11, 'optional string'],
  ['HybridCloudEnvironmentConfiguration', 'database_storage_class', 12, 'optional string'],
  ['HybridCloudEnvironmentConfiguration', 'snapshot_storage_class', 13, 'optional string'],
  ['HybridCloudEnvironmentConfiguration', 'volume_snapshot_storage_class', 14, 'optional string'],
  ['HybridCloudEnvironmentConfiguration', 'ingress', 15, 'repeated qdrant.cloud.common.v1.NetworkPolicyIngressRule'],
  ['HybridCloudEnvironmentConfiguration', 'egress', 16, 'repeated qdrant.cloud.common.v1.NetworkPolicyEgressRule'],
  ['HybridCloudEnvironmentConfiguration', 'log_level', 21, `optional ${HYB}.HybridCloudEnvironmentConfigurationLogLevel`],
  ['HybridCloudEnvironmentConfiguration', 'tolerations', 22, 'repeated qdrant.cloud.cluster.v1.Toleration'],
  ['HybridCloudEnvironmentConfiguration', 'node_selector', 23, KV],
  ['HybridCloudEnvironmentConfiguration', 'advanced_operator_settings', 24, 'optional google.protobuf.Struct'],
  ['HybridCloudEnvironmentConfiguration', 'control_plane_labels', 25, KV],
  ['HybridCloudEnvironmentStatus', 'last_modified_at', 1, TS],
  ['HybridCloudEnvironmentStatus', 'phase', 3, `${HYB}.HybridCloudEnvironmentStatusPhase`],
  ['HybridCloudEnvironmentStatus', 'kubernetes_version', 4, 'string'],
  ['HybridCloudEnvironmentStatus', 'number_of_nodes', 5, 'uint32'],
  ['HybridCloudEnvironmentStatus', 'capabilities', 6, `${HYB}.HybridCloudEnvironmentCapabilities`],
  ['HybridCloudEnvironmentStatus', 'component_statuses', 7, `repeated ${HYB}.HybridCloudEnvironmentComponentStatus`],
  ['HybridCloudEnvironmentStatus', 'cluster_creation_readiness', 9, `${HYB}.QdrantClusterCreationStatus`],
  ['HybridCloudEnvironmentStatus', 'kubernetes_distribution', 10, `optional ${HYB}.KubernetesDistribution`],
  ['HybridCloudEnvironmentStatus', 'message', 11, 'optional string'],
  ['HybridCloudEnvironmentStatus', 'storage_classes', 12, `repeated ${HYB}.HybridCloudEnvironmentStorageClass`],
  ['HybridCloudEnvironmentStatus', 'volume_snapshot_classes', 13, `repeated ${HYB}.HybridCloudEnvironmentVolumeSnapshotClass`],
  ['HybridCloudEnvironmentStatus', 'volume_attributes_classes', 14, `repeated ${HYB}.HybridCloudEnvironmentVolumeAttributesClass`],
  ['HybridCloudEnvironmentStatus', 'storage_configuration_readiness', 15, `${HYB}.StorageConfigurationReadiness`],
  ['HybridCloudEnvironmentCapabilities', 'volume_snapshot', 1, 'bool'],
  ['HybridCloudEnvironmentCapabilities', 'volume_expansion', 2, 'bool'],
  ['GenerateBootstrapCommandsResponse', 'commands', 1, 'repeated string'],
  ['GenerateBootstrapCommandsResponse', 'access_key', 2, 'string'],
  ['GenerateBootstrapCommandsResponse', 'registry_username', 3, 'string'],
  ['GenerateBootstrapCommandsResponse', 'registry_password', 4, 'string'],
];

const backupFields: FieldRow[] = [
  ['Backup', 'id', 1, 'string'],
  ['Backup', 'created_at', 2, TS],
  ['Backup', 'account_id', 3, 'string'],
  ['Backup', 'cluster_id', 4, 'string'],
  ['Backup', 'name', 5, 'string'],
  ['Backup', 'status', 6, `${BAK}.BackupStatus`],
  ['Backup', 'deleted_at', 7, TS],
  ['Backup', 'backup_duration', 8, DURATION],
  ['Backup', 'backup_schedule_id', 9, 'optional string'],
  ['Backup', 'retention_period', 10, `optional ${DURATION}`],
  ['Backup', 'display_name', 11, 'string'],
  ['Backup', 'cluster_info', 12, `${BAK}.ClusterInfo`],
  ['Backup', 'price', 13, `optional ${BAK}.BackupPrice`],
  ['ClusterInfo', 'configuration', 4, 'qdrant.cloud.cluster.v1.ClusterConfiguration'],
  ['BackupSchedule', 'id', 1, 'string'],
  ['BackupSchedule', 'created_at', 2, TS],
  ['BackupSchedule', 'account_id', 3, 'string'],
  ['BackupSchedule', 'cluster_id', 4, 'string'],
  ['BackupSchedule', 'schedule', 5, 'string'],
  ['BackupSchedule', 'retention_period', 6, `optional ${DURATION}`],
  ['BackupSchedule', 'deleted_at', 7, TS],
  ['BackupSchedule', 'status', 8, `${BAK}.BackupScheduleStatus`],
  ['BackupSchedule', 'display_name', 9, 'optional string'],
  ['BackupRestore', 'id', 1, 'string'],
  ['BackupRestore', 'created_at', 2, TS],
  ['BackupRestore', 'account_id', 3, 'string'],
  ['BackupRestore', 'cluster_id', 4, 'string'],
  ['BackupRestore', 'backup_id', 5, 'string'],
  ['BackupRestore', 'status', 6, `${BAK}.BackupRestoreStatus`],
  ['BackupRestore', 'deleted_at', 7, TS],
  ['ListBackupsRequest', 'page_size', 10, 'optional int32'],
  ['ListBackupsResponse', 'next_page_token', 11, 'optional string'],
  ['UpdateBackupScheduleRequest', 'update_mask', 2, 'google.protobuf.FieldMask'],
  ['DeleteBackupScheduleRequest', 'delete_backups', 3, 'optional bool'],
];

const apiKeyFields: FieldRow[] = [
  ['DatabaseApiKey', 'id', 1, 'string'],
  ['DatabaseApiKey', 'account_id', 2, 'string'],
  ['DatabaseApiKey', 'created_at', 3, TS],
  ['DatabaseApiKey', 'cluster_id', 4, 'string'],
  ['DatabaseApiKey', 'name', 5, 'string'],
  ['DatabaseApiKey', 'expires_at', 6, `optional ${TS}`],
  ['DatabaseApiKey', 'access_rules', 7, 'repeated qdrant.cloud.cluster.auth.v2.AccessRule'],
  ['DatabaseApiKey', 'created_by_email', 8, 'string'],
  ['DatabaseApiKey', 'postfix', 9, 'string'],
  ['DatabaseApiKey', 'key', 10, 'string'],
  ['AccessRule', 'global_access', 1, 'oneof scope qdrant.cloud.cluster.auth.v2.GlobalAccessRule'],
  ['AccessRule', 'collection_access', 2, 'oneof scope qdrant.cloud.cluster.auth.v2.CollectionAccessRule'],
  ['CollectionAccessRule', 'collection_name', 1, 'string'],
  ['CollectionAccessRule', 'access_type', 2, 'qdrant.cloud.cluster.auth.v2.CollectionAccessRuleAccessType'],
];

const HYBRID = '/api/hybrid/v1/accounts/{account_id}/hybrid-cloud-environments';
const HYBRID_BODY = '/api/hybrid/v1/accounts/{hybrid_cloud_environment.account_id}/hybrid-cloud-environments';
const hybridRoutes: RouteRow[] = [
  ['ListHybridCloudEnvironments', 'get', HYBRID, 'read:hybrid_cloud_environments write:clusters'],
  ['GetHybridCloudEnvironment', 'get', `${HYBRID}/{hybrid_cloud_environment_id}`, 'read:hybrid_cloud_environments write:clusters'],
  ['CreateHybridCloudEnvironment', 'post', HYBRID_BODY, 'write:hybrid_cloud_environments'],
  ['UpdateHybridCloudEnvironment', 'put', `${HYBRID_BODY}/{hybrid_cloud_environment.id}`, 'write:hybrid_cloud_environments'],
  ['DeleteHybridCloudEnvironment', 'delete', `${HYBRID}/{hybrid_cloud_environment_id}`, 'delete:hybrid_cloud_environments'],
  ['GenerateBootstrapCommands', 'post', `${HYBRID}/{hybrid_cloud_environment_id}/bootstrap-commands`, 'write:hybrid_cloud_environments write:management_keys'],
];

const BACKUP = '/api/cluster/backup/v1/accounts';
const backupRoutes: RouteRow[] = [
  ['ListBackups', 'get', `${BACKUP}/{account_id}/backups`, 'read:backups'],
  ['GetBackup', 'get', `${BACKUP}/{account_id}/backups/{backup_id}`, 'read:backups'],
  ['CreateBackup', 'post', `${BACKUP}/{backup.account_id}/backups`, 'write:backups'],
  ['UpdateBackup', 'patch', `${BACKUP}/{backup.account_id}/backups/{backup.id}`, 'write:backups'],
  ['DeleteBackup', 'delete', `${BACKUP}/{account_id}/backups/{backup_id}`, 'delete:backups'],
  ['ListBackupRestores', 'get', `${BACKUP}/{account_id}/backup_restores`, 'read:backups'],
  ['RestoreBackup', 'post', `${BACKUP}/{account_id}/backups/{backup_id}/restore`, 'restore:backups'],
  ['ListBackupSchedules', 'get', `${BACKUP}/{account_id}/backup_schedules`, 'read:backup_schedules'],
  ['GetBackupSchedule', 'get', `${BACKUP}/{account_id}/backup_schedules/{backup_schedule_id}`, 'read:backup_schedules'],
  ['CreateBackupSchedule', 'post', `${BACKUP}/{backup_schedule.account_id}/backup_schedules`, 'write:backup_schedules'],
  ['UpdateBackupSchedule', 'put', `${BACKUP}/{backup_schedule.account_id}/backup_schedules/{backup_schedule.id}`, 'write:backup_schedules'],
  ['DeleteBackupSchedule', 'delete', `${BACKUP}/{account_id}/backup_schedules/{backup_schedule_id}`, 'delete:backup_schedules'],
];

const API_KEYS = '/api/cluster/auth/v2/accounts';
const apiKeyRoutes: RouteRow[] = [
  ['ListDatabaseApiKeys', 'get', `${API_KEYS}/{account_id}/database-api-keys`, 'read:api_keys'],
  ['CreateDatabaseApiKey', 'post', `${API_KEYS}/{database_api_key.account_id}/database-api-keys`, 'write:api_keys'],
  ['DeleteDatabaseApiKey', 'delete', `${API_KEYS}/{account_id}/database-api-keys/{database_api_key_id}`, 'delete:api_keys'],
];

// A field's type written the way the .proto declares it, so the tables read like the .proto.
function declaredType(field: DescField): string {
  const optional = field.proto.proto3Optional ? 'optional ' : '';
  const oneof = field.oneof && !field.proto.proto3Optional ? `oneof ${field.oneof.name} ` : '';
  switch (field.fieldKind) {
    case 'scalar':
      return `${oneof}${optional}${ScalarType[field.scalar].toLowerCase()}`;
    case 'enum':
      return `${oneof}${optional}${field.enum.typeName}`;
    case 'message':
      return `${oneof}${optional}${field.message.typeName}`;
    case 'list':
      return `repeated ${field.listKind === 'scalar' ? ScalarType[field.scalar].toLowerCase() : (field.message ?? field.enum).typeName}`;
    case 'map':
      return `map<${ScalarType[field.mapKey].toLowerCase()}, ${field.mapKind}>`;
  }
}

function messageOf(file: DescFile, name: string): DescMessage {
  const message = file.messages.find((m) => m.name === name);
  if (!message) throw new Error(`${file.name}.proto has no message ${name}`);
  return message;
}

function methodOf(service: DescService, name: string): DescMethod {
  const method = service.methods.find((m) => m.name === name);
  if (!method) throw new Error(`${service.typeName} has no rpc ${name}`);
  return method;
}

function checkFields(file: DescFile, rows: FieldRow[]): void {
  it.each(rows)('%s.%s = %i (%s)', (message, field, num, type) => {
    const desc = messageOf(file, message).fields.find((f) => f.name === field);
    expect(desc?.number).toBe(num);
    expect(desc && declaredType(desc)).toBe(type);
  });
}

function checkService(service: DescService, typeName: string, routes: RouteRow[]): void {
  it('has the public type name and exactly these rpcs, in order', () => {
    expect(service.typeName).toBe(typeName);
    expect(service.methods.map((m) => m.name)).toEqual(routes.map(([rpc]) => rpc));
  });
  it.each(routes)('%s is served at %s %s', (rpc, verb, path) => {
    const method = methodOf(service, rpc);
    expect(hasOption(method, http)).toBe(true);
    const rule = getOption(method, http);
    expect(rule.pattern.case).toBe(verb);
    expect(rule.pattern.value).toBe(path);
  });
  it.each(routes.map(([rpc, , , required]) => [rpc, required] as const))('%s requires %s', (rpc, required) => {
    expect(getOption(methodOf(service, rpc), permissions).join(' ')).toBe(required);
  });
}

describe('HybridCloudService', () => {
  checkService(hybridV1.HybridCloudService, 'qdrant.cloud.hybrid.v1.HybridCloudService', hybridRoutes);
  it('reads needs any one permission, bootstrapping needs both', () => {
    const service = hybridV1.HybridCloudService;
    expect(getOption(methodOf(service, 'ListHybridCloudEnvironments'), requires_all_permissions)).toBe(false);
    expect(getOption(methodOf(service, 'GetHybridCloudEnvironment'), requires_all_permissions)).toBe(false);
    expect(hasOption(methodOf(service, 'GenerateBootstrapCommands'), requires_all_permissions)).toBe(true);
    expect(getOption(methodOf(service, 'GenerateBootstrapCommands'), requires_all_permissions)).toBe(true);
  });
});

describe('HybridCloudEnvironment and its configuration and status', () => {
  checkFields(hybridV1.file_qdrant_cloud_hybrid_v1_hybrid_cloud, hybridFields);
});

describe('BackupService', () => {
  checkService(backupV1.BackupService, 'qdrant.cloud.cluster.backup.v1.BackupService', backupRoutes);
});

describe('Backup, BackupSchedule and BackupRestore', () => {
  checkFields(backupV1.file_qdrant_cloud_cluster_backup_v1_backup, backupFields);
});

describe('DatabaseApiKeyService (v2)', () => {
  checkService(databaseApiKeyV2.DatabaseApiKeyService, 'qdrant.cloud.cluster.auth.v2.DatabaseApiKeyService', apiKeyRoutes);
});

describe('DatabaseApiKey and its access rules', () => {
  checkFields(databaseApiKeyV2.file_qdrant_cloud_cluster_auth_v2_database_api_key, apiKeyFields);
});
