import type { Migration } from './migrations.ts';
import { createBuiltInRolesForEveryAccount } from './built-in-roles.ts';

// Accounts with company and billing information and an access state, people, roles, SSO,
// audit. Everything hangs off an account and dies with it (ON DELETE CASCADE), except the
// audit trail, which outlives what it describes and is pruned by age only.

const accountColumns = [
  // The seed's sign-up: company and billing information, then a request for access.
  'ALTER TABLE accounts ADD COLUMN company_name TEXT',
  'ALTER TABLE accounts ADD COLUMN company_domain TEXT',
  /** JSON: address lines, postal code, city, country, tax id / VAT, billing email. */
  'ALTER TABLE accounts ADD COLUMN billing TEXT',
  // pending | approved | rejected. Accounts from before sign-up existed were approved by their installer.
  "ALTER TABLE accounts ADD COLUMN status TEXT NOT NULL DEFAULT 'approved'",
  'ALTER TABLE accounts ADD COLUMN status_reason TEXT',
  'ALTER TABLE accounts ADD COLUMN decided_by TEXT',
  'ALTER TABLE accounts ADD COLUMN decided_at TEXT',
  'ALTER TABLE accounts ADD COLUMN owner_user_id TEXT',
  'ALTER TABLE accounts ADD COLUMN last_modified_at TEXT',
  'UPDATE accounts SET last_modified_at = created_at',
];

const people = [
  // Email lower-cased by the code; password_hash is argon2id (PHC string) or NULL for SSO-only users.
  // email_verified_at: when an OIDC provider vouched for the email, or an instance administrator
  // did (verify-email); only then may the user claim invites sent to it (anyone can sign up with any email).
  // Failed sign-ins are counted per email, user or not (migration 20), so not here.
  `CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    instance_admin INTEGER NOT NULL DEFAULT 0,
    email_verified_at TEXT,
    created_at TEXT NOT NULL,
    last_modified_at TEXT NOT NULL
  )`,
  `CREATE TABLE account_members (
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (account_id, user_id)
  )`,
  'CREATE INDEX account_members_user ON account_members (user_id)',
  // Invites name the roles the person gets on accepting; status pending | accepted | rejected | canceled (expiry is read from expires_at).
  // Made by a user or a key (created_by_*): accepting needs the maker to still hold what the roles grant.
  `CREATE TABLE account_invites (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    role_ids TEXT NOT NULL,
    status TEXT NOT NULL,
    created_by_user_id TEXT,
    created_by_key_id TEXT,
    created_at TEXT NOT NULL,
    last_modified_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  )`,
  'CREATE INDEX account_invites_account ON account_invites (account_id, created_at)',
  'CREATE INDEX account_invites_email ON account_invites (email, status)',
];

const roles = [
  // type system | custom; sub_type owner | admin | base | NULL (qhc's own built-in Editor and Viewer, custom roles).
  `CREATE TABLE roles (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    type TEXT NOT NULL,
    sub_type TEXT,
    created_at TEXT NOT NULL,
    last_modified_at TEXT NOT NULL,
    UNIQUE (account_id, name)
  )`,
  `CREATE TABLE role_permissions (
    role_id TEXT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    permission TEXT NOT NULL,
    PRIMARY KEY (role_id, permission)
  )`,
  `CREATE TABLE user_roles (
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role_id TEXT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, user_id, role_id)
  )`,
  'CREATE INDEX user_roles_role ON user_roles (role_id)',
  `CREATE TABLE management_key_roles (
    management_key_id TEXT NOT NULL REFERENCES management_keys(id) ON DELETE CASCADE,
    role_id TEXT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    PRIMARY KEY (management_key_id, role_id)
  )`,
  'CREATE INDEX management_key_roles_role ON management_key_roles (role_id)',
];

const sso = [
  // client_secret is encrypted at rest (src/secrets); group_roles is JSON [{group, role_id}].
  `CREATE TABLE oidc_providers (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    issuer_url TEXT NOT NULL,
    client_id TEXT NOT NULL,
    client_secret TEXT NOT NULL,
    scopes TEXT NOT NULL,
    groups_claim TEXT NOT NULL,
    group_roles TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_modified_at TEXT NOT NULL,
    UNIQUE (account_id, name)
  )`,
  // Which provider subject is which user: an SSO user is found by (provider, sub), never by a claimed email alone.
  `CREATE TABLE oidc_identities (
    provider_id TEXT NOT NULL REFERENCES oidc_providers(id) ON DELETE CASCADE,
    subject TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (provider_id, subject)
  )`,
];

const audit = [
  // Append-only: no foreign keys, so the trail of a deleted object, user or account stays until it ages out.
  `CREATE TABLE audit_events (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_label TEXT NOT NULL,
    method TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    before_summary TEXT,
    after_summary TEXT,
    remote_address TEXT
  )`,
  'CREATE INDEX audit_events_account ON audit_events (account_id, occurred_at)',
  'CREATE INDEX audit_events_age ON audit_events (occurred_at)',
];

const sessions = [
  // A console session is a user's (acting in one of their accounts) or, as before, a management
  // key's: management_key_id becomes nullable. Nothing references cloud_sessions, so the table is
  // rebuilt (SQLite cannot drop a NOT NULL in place) with its rows kept.
  `CREATE TABLE cloud_sessions_15 (
    id TEXT PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    management_key_id TEXT REFERENCES management_keys(id) ON DELETE CASCADE,
    user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
    account_id TEXT REFERENCES accounts(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  )`,
  'INSERT INTO cloud_sessions_15 (id, hash, management_key_id, created_at, expires_at) SELECT id, hash, management_key_id, created_at, expires_at FROM cloud_sessions',
  'DROP TABLE cloud_sessions',
  'ALTER TABLE cloud_sessions_15 RENAME TO cloud_sessions',
  'CREATE INDEX cloud_sessions_expiry ON cloud_sessions (expires_at)',
  'CREATE INDEX cloud_sessions_user ON cloud_sessions (user_id)',
];

const regionNamesPerAccount = [
  // Environment names become unique per account. The UNIQUE of regions.name cannot be dropped on
  // SQLite without rebuilding the table, and a rebuild under foreign keys would cascade-delete
  // every cluster: the unique column is kept under a new name and holds `<account id>/<name>`.
  // A region a replica of an earlier release inserted after migration 8 has no account: the first account's, as migration 8 gave every region.
  'UPDATE regions SET account_id = (SELECT id FROM accounts ORDER BY created_at, id LIMIT 1) WHERE account_id IS NULL',
  'ALTER TABLE regions RENAME COLUMN name TO account_name_key',
  'ALTER TABLE regions ADD COLUMN name TEXT',
  "UPDATE regions SET name = account_name_key, account_name_key = account_id || '/' || account_name_key",
];

export const MIGRATION_15: Migration = {
  version: 15,
  name: 'accounts with billing and access state, users, members, invites, roles, key roles, SSO, audit events',
  statements: [...accountColumns, ...people, ...roles, ...sso, ...audit, ...sessions, ...regionNamesPerAccount],
  // Every account gets the built-in roles; keys made so far (the first start's) were all-powerful, and stay so as Owner.
  data: createBuiltInRolesForEveryAccount,
};
