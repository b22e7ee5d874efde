import type { Migration } from './migrations.ts';

// ListClusters reads an account's clusters a page at a time in (created_at, id) order: with
// this index a page is read in order and stops at its size, instead of sorting every cluster
// of the account on each page (thousands for a large account). The other hot-path statements
// already have theirs (test/hot-path-indexes.test.ts EXPLAINs them all).
export const MIGRATION_22: Migration = {
  version: 22,
  name: "an account's clusters in page order",
  statements: ['CREATE INDEX clusters_account_page ON clusters (account_id, created_at, id)'],
};
