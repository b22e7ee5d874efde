export { http } from './generated/google/api/annotations_pb.ts';
export * as authV1 from './generated/qdrant/cloud/auth/v1/auth_pb.ts';
export * as bookingV1 from './generated/qdrant/cloud/booking/v1/booking_pb.ts';
export * as clusterV1 from './generated/qdrant/cloud/cluster/v1/cluster_pb.ts';
export * as commonV1 from './generated/qdrant/cloud/common/v1/common_pb.ts';
export * as hybridV1 from './generated/qdrant/cloud/hybrid/v1/hybrid_cloud_pb.ts';
export * as backupV1 from './generated/qdrant/cloud/cluster/backup/v1/backup_pb.ts';
export * as databaseApiKeyV2 from './generated/qdrant/cloud/cluster/auth/v2/database_api_key_pb.ts';
