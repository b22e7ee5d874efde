import { sql } from 'kysely';
import type { Db } from '../db/db.ts';
import { decryptSecret, ENCRYPTED_PREFIX, encryptSecret, isEncrypted, keyIdOf } from './cipher.ts';
import { columnName, SECRET_COLUMNS } from './columns.ts';

const PAGE = 200;

/** What a rotation pass did: per `table.column`, the values it rewrote under the first key. */
export type Rotated = Record<string, number>;

/**
 * Re-encrypts every secret not under the ring's first key (a value under another key of the
 * ring, or plaintext an earlier release wrote) under it. Row by row, each its own statement that
 * only replaces the value it read: a crash leaves every row readable, another run (or replica)
 * finishes the rest, and a value written meanwhile is left to the writer. A value under a key the
 * ring lacks stops it with an error naming the key id and the row.
 */
export async function rotateSecrets(db: Db): Promise<Rotated> {
  const tables = new Set((await db.q.introspection.getTables()).map((t) => t.name));
  const rotated: Rotated = {};
  for (const c of SECRET_COLUMNS) if (tables.has(c.table)) rotated[columnName(c)] = await rotateColumn(db, c);
  return rotated;
}

type Row = { id: string; value: string };

async function rotateColumn(db: Db, c: { table: string; column: string }): Promise<number> {
  const primary = db.secrets.primary.id;
  // Only the rows not yet under the first key: a start reads no more than it rewrites.
  const prefix = `${ENCRYPTED_PREFIX}${primary}:`;
  let after = '';
  let count = 0;
  for (;;) {
    const { rows } = await sql<Row>`SELECT id, ${sql.ref(c.column)} AS value FROM ${sql.table(c.table)}
      WHERE ${sql.ref(c.column)} IS NOT NULL AND substr(${sql.ref(c.column)}, 1, ${sql.lit(prefix.length)}) <> ${prefix} AND id > ${after}
      ORDER BY id LIMIT ${sql.lit(PAGE)}`.execute(db.q);
    for (const row of rows) {
      if (keyIdOf(row.value) === primary) continue;
      const at = { column: columnName(c), rowId: row.id };
      const plaintext = isEncrypted(row.value) ? decryptSecret(db.secrets, at, row.value) : row.value;
      const next = encryptSecret(db.secrets, at, plaintext);
      const done = await sql`UPDATE ${sql.table(c.table)} SET ${sql.ref(c.column)} = ${next}
        WHERE id = ${row.id} AND ${sql.ref(c.column)} = ${row.value}`.execute(db.q);
      count += Number(done.numAffectedRows ?? 0);
    }
    if (rows.length < PAGE) return count;
    after = rows.at(-1)!.id;
  }
}
