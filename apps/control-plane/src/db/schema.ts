import type { Generated } from 'kysely';

/**
 * The tables as the migrations (migrations.ts) leave them: the schema's type, kept by hand
 * beside the append-only list. JSON documents are TEXT, parsed on read by the repositories.
 * BIGINT comes back as a number on both databases (postgres.ts sets pg's parser).
 */
export interface Database {
  regions: {
    id: string;
    /** Since migration 15; NULL only in a database that never ran it. */
    name: string;
    /** `<account id>/<name>` (migration 15): keeps environment names unique per account. */
    account_name_key: string;
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
  cloud_sessions: {
    id: string;
    hash: string;
    /** The key a management-key session signed in with; NULL for a user's session (migration 15). */
    management_key_id: string | null;
    created_at: string;
    expires_at: string;
    /** A user's session (migration 15); NULL for a management key's. */
    user_id: string | null;
    /** The account a user's session acts in (switchable among theirs). */
    account_id: string | null;
  };
  cluster_events: { id: string; cluster_id: string; at: string; type: string; message: string };
  accounts: {
    id: string;
    name: string;
    created_at: string;
    company_name: string | null;
    company_domain: string | null;
    /** JSON: address lines, postal code, city, country, tax id / VAT, billing email. */
    billing: string | null;
    /** pending | approved | rejected; defaults to approved (accounts from before sign-up). */
    status: Generated<string>;
    status_reason: string | null;
    /** The instance administrator (user id) who approved or rejected it. */
    decided_by: string | null;
    decided_at: string | null;
    owner_user_id: string | null;
    last_modified_at: string | null;
  };
  users: {
    id: string;
    /** Lower case. */
    email: string;
    /** argon2id, PHC string; NULL for users who only sign in through SSO. */
    password_hash: string | null;
    status: string;
    /** 1: approves and rejects accounts. */
    instance_admin: number;
    /** When the email was verified (an OIDC provider's email_verified, or an instance administrator); NULL: not verified. */
    email_verified_at: string | null;
    created_at: string;
    last_modified_at: string;
  };
  account_members: { account_id: string; user_id: string; created_at: string };
  /** Failed password sign-ins per email, user or not (migration 20). */
  sign_in_failures: { email_hash: string; failures: number; locked_until: string | null; last_failed_at: string };
  account_invites: {
    id: string;
    account_id: string;
    email: string;
    /** JSON array of role ids. */
    role_ids: string;
    /** pending | accepted | rejected | canceled; expiry is read from expires_at. */
    status: string;
    created_by_user_id: string | null;
    /** The management key that made the invite (a key has no user). */
    created_by_key_id: string | null;
    created_at: string;
    last_modified_at: string;
    expires_at: string;
  };
  roles: {
    id: string;
    account_id: string;
    name: string;
    description: string;
    /** system | custom. */
    type: string;
    /** owner | admin | base | NULL. */
    sub_type: string | null;
    created_at: string;
    last_modified_at: string;
  };
  role_permissions: { role_id: string; permission: string };
  user_roles: { account_id: string; user_id: string; role_id: string };
  management_key_roles: { management_key_id: string; role_id: string };
  oidc_providers: {
    id: string;
    account_id: string;
    name: string;
    issuer_url: string;
    client_id: string;
    /** Encrypted at rest (src/secrets). */
    client_secret: string;
    /** Space-separated. */
    scopes: string;
    groups_claim: string;
    /** JSON [{ group, role_id }]. */
    group_roles: string;
    created_at: string;
    last_modified_at: string;
  };
  oidc_identities: { provider_id: string; subject: string; user_id: string; created_at: string };
  /** A sign-in between /auth/oidc/{id}/start and its callback (migration 21). */
  oidc_sign_ins: { state_hash: string; provider_id: string; code_verifier: string; nonce: string; created_at: string; expires_at: string };
  audit_events: {
    id: string;
    account_id: string;
    occurred_at: string;
    /** user | management_key | system. */
    actor_kind: string;
    actor_id: string;
    /** The user's email or the key's prefix, as it was then. */
    actor_label: string;
    method: string;
    object_type: string;
    object_id: string;
    before_summary: string | null;
    after_summary: string | null;
    remote_address: string | null;
  };
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
