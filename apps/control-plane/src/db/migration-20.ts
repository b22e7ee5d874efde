import type { Migration } from './migrations.ts';

// Failed password sign-ins, per email whether or not a user has it: an email nobody has locks
// after as many failures as a user's, so the lockout answer never tells which emails exist.
// Keyed by the SHA-256 of the lower-cased email: people type passwords into the email field.
export const MIGRATION_20: Migration = {
  version: 20,
  name: 'failed password sign-ins and lockouts per email',
  statements: [
    `CREATE TABLE sign_in_failures (
      email_hash TEXT PRIMARY KEY,
      failures INTEGER NOT NULL,
      locked_until TEXT,
      last_failed_at TEXT NOT NULL
    )`,
    'CREATE INDEX sign_in_failures_last ON sign_in_failures (last_failed_at)',
  ],
};
