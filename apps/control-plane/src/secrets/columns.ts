/**
 * Every column holding a secret, encrypted at rest (cipher.ts) and bound to its row's `id`. The
 * rotation walks these; a table not there yet (an older schema) is skipped.
 */
export const SECRET_COLUMNS = [
  /** A region's registry user name and password (JSON). */
  { table: 'regions', column: 'registry_credentials' },
  /** A database API key sealed for the region's agent: encrypted again, so the database alone cannot hand it to another agent key. */
  { table: 'database_api_keys', column: 'sealed' },
  /** The Qdrant API keys of clusters (JSON), given or generated for them. */
  { table: 'clusters', column: 'api_keys' },
  /** An OIDC provider's client secret (migration 15). */
  { table: 'oidc_providers', column: 'client_secret' },
] as const;

export type SecretColumn = (typeof SECRET_COLUMNS)[number];

/** The associated data's name of a column: `table.column`. */
export const columnName = (c: { table: string; column: string }) => `${c.table}.${c.column}`;
