export { http } from './generated/google/api/annotations_pb.ts';
export * as authV1 from './generated/qdrant/cloud/auth/v1/auth_pb.ts';
export * as bookingV1 from './generated/qdrant/cloud/booking/v1/booking_pb.ts';
export * as clusterV1 from './generated/qdrant/cloud/cluster/v1/cluster_pb.ts';
export * as commonV1 from './generated/qdrant/cloud/common/v1/common_pb.ts';
