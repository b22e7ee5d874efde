// qhc's own proto package `qhc.v1` spans several files; one namespace exports them all.
export * from './generated/qhc/v1/session_pb.ts';
export * from './generated/qhc/v1/environment_agent_pb.ts';
export * from './generated/qhc/v1/cluster_event_pb.ts';
export * from './generated/qhc/v1/cluster_extension_pb.ts';
export * from './generated/qhc/v1/account_pb.ts';
export * from './generated/qhc/v1/account_access_pb.ts';
export * from './generated/qhc/v1/account_billing_pb.ts';
export * from './generated/qhc/v1/management_key_role_pb.ts';
export * from './generated/qhc/v1/audit_log_pb.ts';
export * from './generated/qhc/v1/sso_pb.ts';
