import type { Logger } from '@qhc/kube';
import { resolveKeyRing, type SecretsKeySource } from '../secrets/key-source.ts';
import { rotateSecrets, type Rotated } from '../secrets/rotate.ts';
import type { Db } from './db.ts';
import { migrate } from './migrations.ts';
import { openPostgres } from './postgres.ts';
import { openSqlite } from './sqlite.ts';

/**
 * `postgres://…` or `postgresql://…` opens PostgreSQL; anything else is a SQLite file path (or
 * `:memory:`). Migrated, and every secret under the key ring's first key (rotateSecrets): the
 * plaintext an earlier release wrote is encrypted, and a new first key takes over at start.
 */
export async function openDatabase(
  location: string,
  log?: Pick<Logger, 'warn'> & Partial<Pick<Logger, 'info'>>,
  secrets?: SecretsKeySource,
  /** PostgreSQL's pool size (--database-pool-size); SQLite has one connection. */
  poolSize?: number,
  /** PostgreSQL: how many requests may wait for a connection (--database-pool-queue); default 64 per connection. */
  poolQueue?: number,
): Promise<Db> {
  const dialect = /^postgres(ql)?:\/\//.test(location) ? 'postgres' : 'sqlite';
  const ring = resolveKeyRing(location, dialect, secrets);
  const db = dialect === 'postgres' ? openPostgres(location, log, ring, poolSize, poolQueue) : openSqlite(location, log, ring);
  try {
    await migrate(db);
    told(log, await rotateSecrets(db));
  } catch (error) {
    await db.close().catch(() => undefined);
    const what = db.dialect === 'postgres' ? `PostgreSQL at ${location.replace(/\/\/[^@/]*@/, '//***@')}` : `SQLite file ${location}`;
    throw new Error(`cannot open the control plane's database (${what}): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return db;
}

function told(log: Partial<Pick<Logger, 'info'>> | undefined, rotated: Rotated): void {
  const rewritten = Object.fromEntries(Object.entries(rotated).filter(([, n]) => n > 0));
  if (Object.keys(rewritten).length > 0) log?.info?.('secrets re-encrypted under the first key of the secrets key ring', { rewritten });
}
