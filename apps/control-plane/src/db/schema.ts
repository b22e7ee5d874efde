/**
 * The tables as the migrations (migrations.ts) leave them: the schema's type, kept by hand
 * beside the append-only list. JSON documents are TEXT, parsed on read by the repositories.
 * BIGINT comes back as a number on both databases (postgres.ts sets pg's parser).
 */
export interface Database {
  regions: {
    id: string;
    name: string;
    spec: string;
    revision: number;
    status: string | null;
    applied_revision: number | null;
    last_seen_at: string | null;
    created_at: string;
    updated_at: string;
    observed_resources: string | null;
    registry_credentials: string | null;
    /** Set on every row since migration 8 (NULL only in a database that never ran it). */
    account_id: string | null;
    /** The Cloud API's HybridCloudEnvironmentConfiguration as sent, binary in base64 (migration 10); NULL for /api/v1's regions. */
    cloud_configuration: string | null;
    /** 1 once GenerateBootstrapCommands answered (migration 10). */
    bootstrap_commands_generated: number | null;
    /** The agent's X25519 public key (its last report): database API keys are sealed for it (migration 13). */
    agent_public_key: string | null;
  };
  clusters: {
    id: string;
    region_id: string;
    name: string;
    spec: string;
    api_keys: string | null;
    deleted_at: string | null;
    status: string | null;
    created_at: string;
    updated_at: string;
    annotations: string | null;
    origin: string | null;
    /** Filled by migration 9 and written by every insert since; NULL only in a row an earlier release inserted (read: the name). */
    object_id: string | null;
    /** The region's account (migration 8). */
    account_id: string | null;
    /** The Cloud API's Cluster message as its client sent it, proto JSON (migration 11); NULL when made through /api/v1. */
    cloud_cluster: string | null;
  };
  tokens: {
    id: string;
    kind: string;
    name: string;
    region_id: string | null;
    hash: string;
    created_at: string;
    used_at: string | null;
    revoked_at: string | null;
    expires_at: string | null;
  };
  resources: {
    id: string;
    region_id: string;
    kind: string;
    name: string;
    cluster_id: string;
    spec: string;
    deleted_at: string | null;
    status: string | null;
    created_at: string;
    updated_at: string;
    /** The Cloud API's view of the row (migration 12); NULL for rows made through /api/v1. */
    cloud: string | null;
  };
  sessions: { id: string; hash: string; token_id: string; created_at: string; expires_at: string };
  cloud_sessions: { id: string; hash: string; management_key_id: string; created_at: string; expires_at: string };
  cluster_events: { id: string; cluster_id: string; at: string; type: string; message: string };
  accounts: { id: string; name: string; created_at: string };
  management_keys: {
    id: string;
    account_id: string;
    prefix: string;
    hash: string;
    /** Who made it, once accounts have users; NULL for keys made at start or before users. */
    created_by: string | null;
    created_at: string;
    expires_at: string | null;
    deleted_at: string | null;
  };
  database_api_keys: {
    id: string;
    account_id: string;
    region_id: string;
    cluster_id: string;
    /** Qdrant's key slot: readWrite (service.api_key) or readOnly (service.read_only_api_key). */
    slot: string;
    /** SHA-512 (hex) of the key. */
    hash: string;
    postfix: string;
    /** Sealed for the region's agent; NULL once deleted or expired. */
    sealed: string | null;
    /** The client's DatabaseApiKey message as sent (protobuf binary, base64). */
    request: string;
    created_at: string;
    expires_at: string | null;
    /** When its expiry was put in the desired state (the region's revision bumped). */
    retired_at: string | null;
    deleted_at: string | null;
  };
  schema_migrations: { version: number; name: string; applied_at: string };
}
