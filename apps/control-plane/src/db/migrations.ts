import { sql } from 'kysely';
import type { Db } from './db.ts';
import { createFirstAccount } from './first-account.ts';
import { MIGRATION_15 } from './migration-15.ts';
import { MIGRATION_20 } from './migration-20.ts';
import { MIGRATION_21 } from './migration-21.ts';
import { MIGRATION_22 } from './migration-22.ts';

/** A schema change: SQL statements, then (optionally) rows only code can make, in the same transaction. */
export interface Migration {
  version: number;
  name: string;
  statements: string[];
  data?: (tx: Db) => Promise<void>;
}

/**
 * The schema, as an append-only list: a released migration never changes; a change is a new
 * one. Portable SQL only (TEXT, INTEGER, BIGINT; JSON documents as TEXT).
 */
export const MIGRATIONS: ReadonlyArray<Migration> = [
  {
    version: 1,
    name: 'regions, clusters, tokens',
    statements: [
      `CREATE TABLE regions (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        spec TEXT NOT NULL,
        revision BIGINT NOT NULL,
        status TEXT,
        applied_revision BIGINT,
        last_seen_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      `CREATE TABLE clusters (
        id TEXT PRIMARY KEY,
        region_id TEXT NOT NULL REFERENCES regions(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        spec TEXT NOT NULL,
        api_keys TEXT,
        deleted_at TEXT,
        status TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (region_id, name)
      )`,
      `CREATE TABLE tokens (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        region_id TEXT REFERENCES regions(id) ON DELETE CASCADE,
        hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        used_at TEXT,
        revoked_at TEXT
      )`,
      'CREATE INDEX tokens_region ON tokens (region_id, kind)',
    ],
  },
  { version: 2, name: 'cluster annotations (restartedAt)', statements: ['ALTER TABLE clusters ADD COLUMN annotations TEXT'] },
  {
    version: 3,
    name: 'backups, backup schedules and restores of a region',
    statements: [
      `CREATE TABLE resources (
        id TEXT PRIMARY KEY,
        region_id TEXT NOT NULL REFERENCES regions(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        cluster_id TEXT NOT NULL,
        spec TEXT NOT NULL,
        deleted_at TEXT,
        status TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (region_id, kind, name)
      )`,
      'ALTER TABLE regions ADD COLUMN observed_resources TEXT',
    ],
  },
  {
    version: 4,
    name: 'console sessions, cluster events',
    statements: [
      // Only the SHA-256 of the session id, as with tokens; the session dies with its user token.
      `CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        hash TEXT NOT NULL UNIQUE,
        token_id TEXT NOT NULL REFERENCES tokens(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      )`,
      'CREATE INDEX sessions_expiry ON sessions (expires_at)',
      // What happened to a cluster: the changes asked for through the API and the changes of
      // status the agent reported, for the console's timeline; capped per cluster.
      `CREATE TABLE cluster_events (
        id TEXT PRIMARY KEY,
        cluster_id TEXT NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        type TEXT NOT NULL,
        message TEXT NOT NULL
      )`,
      'CREATE INDEX cluster_events_cluster ON cluster_events (cluster_id, at)',
    ],
  },
  { version: 5, name: 'registry credentials of a region (write-only)', statements: ['ALTER TABLE regions ADD COLUMN registry_credentials TEXT'] },
  { version: 6, name: 'cluster origin (adopted from a restore in the region)', statements: ['ALTER TABLE clusters ADD COLUMN origin TEXT'] },
  {
    version: 7,
    name: 'bootstrap token expiry',
    // NULL for the tokens issued before: user and agent tokens do not expire, and a bootstrap
    // token already out there keeps working until it is used or revoked.
    statements: ['ALTER TABLE tokens ADD COLUMN expires_at TEXT'],
  },
  {
    version: 8,
    name: 'accounts, management keys, the account of regions and clusters',
    statements: [
      // Users, members and roles come later: they join accounts; keys may then name their creator.
      `CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL
      )`,
      // Only the SHA-256 of a key is stored; `prefix` (its first characters) tells keys apart in lists.
      `CREATE TABLE management_keys (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        prefix TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE,
        created_by TEXT,
        created_at TEXT NOT NULL,
        expires_at TEXT,
        deleted_at TEXT
      )`,
      'CREATE INDEX management_keys_account ON management_keys (account_id, created_at)',
      // Nullable as SQLite adds columns; every row gets its account below and every insert names one.
      'ALTER TABLE regions ADD COLUMN account_id TEXT REFERENCES accounts(id)',
      'ALTER TABLE clusters ADD COLUMN account_id TEXT REFERENCES accounts(id)',
      'CREATE INDEX regions_account ON regions (account_id)',
      'CREATE INDEX clusters_account ON clusters (account_id)',
    ],
    // The first account, made here: the migration runs once, under the lock replicas share, so
    // replicas starting together agree on it; the rows from before belong to it.
    data: createFirstAccount,
  },
  {
    version: 9,
    name: 'cluster object id (the Kubernetes objects are qdrant-<object id>)',
    // A cluster's objects keep their name when the cluster is renamed. The clusters made before
    // were named after the cluster: theirs stays the name, so nothing in their region changes.
    statements: [
      'ALTER TABLE clusters ADD COLUMN object_id TEXT',
      'UPDATE clusters SET object_id = name',
      'CREATE UNIQUE INDEX clusters_object_id ON clusters (region_id, object_id)',
    ],
  },
  {
    version: 10,
    name: 'hybrid cloud environments: the configuration as the client sent it, bootstrap commands generated',
    // The Cloud API answers the configuration exactly as it was sent (the region's spec is derived
    // from it); NULL for regions /api/v1 made, whose configuration is derived from their spec.
    statements: ['ALTER TABLE regions ADD COLUMN cloud_configuration TEXT', 'ALTER TABLE regions ADD COLUMN bootstrap_commands_generated INTEGER'],
  },
  {
    version: 11,
    name: 'cluster as the Cloud API client sent it',
    // Answered back exactly as sent (a Terraform plan compares every field); the spec is derived
    // from it. NULL for clusters made through /api/v1.
    statements: ['ALTER TABLE clusters ADD COLUMN cloud_cluster TEXT'],
  },
  {
    version: 12,
    name: "Cloud API backups, backup schedules and restores (the client's message, the ids they refer to)",
    // JSON: the message the client sent (base64 protobuf, echoed as sent) and the Cloud API ids of
    // what the row refers to (cluster, schedule, backup). NULL for rows made through /api/v1.
    statements: ['ALTER TABLE resources ADD COLUMN cloud TEXT'],
  },
  {
    version: 13,
    name: 'database API keys (hash and sealed copy only) and the agent public key they are sealed for',
    statements: [
      // No plaintext: the SHA-512 of a key (dedup, lookup) and its copy sealed for the region's
      // agent (dropped once the key is deleted or expired). `request` is the client's message as
      // sent (its secret field empty), answered back as stored.
      `CREATE TABLE database_api_keys (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        region_id TEXT NOT NULL REFERENCES regions(id) ON DELETE CASCADE,
        cluster_id TEXT NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
        slot TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE,
        postfix TEXT NOT NULL,
        sealed TEXT,
        request TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT,
        retired_at TEXT,
        deleted_at TEXT
      )`,
      'CREATE INDEX database_api_keys_account ON database_api_keys (account_id, created_at)',
      'CREATE INDEX database_api_keys_region ON database_api_keys (region_id, expires_at)',
      'ALTER TABLE regions ADD COLUMN agent_public_key TEXT',
    ],
  },
  {
    version: 14,
    name: 'console sessions of management keys (qhc.v1.SessionService)',
    // Apart from the sessions of /api/v1's user tokens: these belong to a management key and die
    // with it (deleted keys stay as rows, so the lookup also checks the key is live).
    statements: [
      `CREATE TABLE cloud_sessions (
        id TEXT PRIMARY KEY,
        hash TEXT NOT NULL UNIQUE,
        management_key_id TEXT NOT NULL REFERENCES management_keys(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      )`,
      'CREATE INDEX cloud_sessions_expiry ON cloud_sessions (expires_at)',
    ],
  },
  MIGRATION_15,
  MIGRATION_20,
  MIGRATION_21,
  MIGRATION_22,
];

/**
 * Brings the schema up to date, in one transaction: safe for several replicas starting at
 * once (on PostgreSQL an advisory lock makes the others wait, then find the work done; even
 * `CREATE TABLE IF NOT EXISTS` races without it), and all or nothing if one step fails.
 * DDL is SQL text: Kysely's schema builder would not be the statements released before.
 * `migrations` is for tests that seed a database as an earlier release left it.
 */
export async function migrate(db: Db, migrations = MIGRATIONS): Promise<number[]> {
  return db.tx(async (tx) => {
    if (tx.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(7334001)`.execute(tx.q);
    await sql`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`.execute(tx.q);
    const done = new Set((await tx.q.selectFrom('schema_migrations').select('version').execute()).map((r) => Number(r.version)));
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      for (const statement of migration.statements) await sql.raw(statement).execute(tx.q);
      await migration.data?.(tx);
      await tx.q.insertInto('schema_migrations').values({ version: migration.version, name: migration.name, applied_at: new Date().toISOString() }).execute();
      applied.push(migration.version);
    }
    return applied;
  });
}
