import type { Logger } from '@qhc/kube';
import type { Db } from './db.ts';
import { migrate } from './migrations.ts';
import { openPostgres } from './postgres.ts';
import { openSqlite } from './sqlite.ts';

/** `postgres://…` or `postgresql://…` opens PostgreSQL; anything else is a SQLite file path (or `:memory:`). Migrated. */
export async function openDatabase(location: string, log?: Pick<Logger, 'warn'>): Promise<Db> {
  const db = /^postgres(ql)?:\/\//.test(location) ? openPostgres(location, log) : openSqlite(location, log);
  try {
    await migrate(db);
  } catch (error) {
    await db.close().catch(() => undefined);
    const what = db.dialect === 'postgres' ? `PostgreSQL at ${location.replace(/\/\/[^@/]*@/, '//***@')}` : `SQLite file ${location}`;
    throw new Error(`cannot open the control plane's database (${what}): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return db;
}
