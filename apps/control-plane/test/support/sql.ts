import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../src/db/db.ts';

// SQL text for tests that look under the repositories (a digest of every table, a row set by
// hand, a table of their own): `$1` placeholders bound as values through Kysely's `sql` tag.

type Row = Record<string, unknown>;

function statement<T>(text: string, params: unknown[]): RawBuilder<T> {
  const parts = text.split(/\$(\d+)/);
  return sql.join(
    parts.map((part, i) => (i % 2 === 1 ? sql.val(params[Number(part) - 1]) : sql.raw(part))),
    sql.raw(''),
  ) as RawBuilder<T>;
}

/** Statements on `db` (or on a transaction's Db). */
export function sqlOn(db: Db) {
  return {
    all: async <T extends Row = Row>(text: string, params: unknown[] = []) => (await statement<T>(text, params).execute(db.q)).rows,
    one: async <T extends Row = Row>(text: string, params: unknown[] = []) => (await statement<T>(text, params).execute(db.q)).rows[0],
    /** Rows changed. */
    run: async (text: string, params: unknown[] = []) => Number((await statement(text, params).execute(db.q)).numAffectedRows ?? 0),
  };
}
