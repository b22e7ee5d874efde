import type { Migration } from './migrations.ts';

// OIDC sign-ins under way: what /auth/oidc/{id}/start promised the provider (PKCE verifier, nonce),
// kept until /callback redeems it. In the database, not one replica's memory, so the callback may
// land on another replica; keyed by the SHA-256 of the state, so a copy of the table cannot finish
// a sign-in that a browser holds the state (cookie) of.
export const MIGRATION_21: Migration = {
  version: 21,
  name: 'OIDC sign-ins under way (state, nonce, PKCE verifier)',
  statements: [
    `CREATE TABLE oidc_sign_ins (
      state_hash TEXT PRIMARY KEY,
      provider_id TEXT NOT NULL REFERENCES oidc_providers(id) ON DELETE CASCADE,
      code_verifier TEXT NOT NULL,
      nonce TEXT NOT NULL,
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL
    )`,
    'CREATE INDEX oidc_sign_ins_expiry ON oidc_sign_ins (expires_at)',
  ],
};
