import { randomUUID } from 'node:crypto';
import type { Region, RegionRecord } from '@qhc/schemas';
import { sql } from 'kysely';
import { isUniqueViolation, type Db } from '../db/db.ts';
import { conflict, notFound } from '../errors.ts';
import { firstAccountId } from './accounts.ts';
import { openRegistryCredentials, storedRegistryCredentials, toRegion, type RegistryCredentials } from './rows.ts';

// Regions: their spec, revision (what agents long-poll on), and write-only registry credentials.

const now = () => new Date().toISOString();

/**
 * The one way a revision is announced: every statement that moves one returns it, and this tells
 * the long-polls waiting on it (every replica's), with the same transaction.
 */
export async function announceRevision(db: Db, regionId: string, moved: { revision: number } | undefined): Promise<void> {
  if (moved) await db.revisions.moved(db, regionId, Number(moved.revision));
}

/** A region's desired state changed: its agent's long-poll answers. */
export async function bumpRevision(db: Db, regionId: string, stamp: string): Promise<void> {
  await db.tx(async (tx) => {
    const moved = await tx.q
      .updateTable('regions')
      .set((eb) => ({ revision: eb('revision', '+', 1), updated_at: stamp }))
      .where('id', '=', regionId)
      .returning('revision')
      .executeTakeFirst();
    await announceRevision(tx, regionId, moved);
  });
}

export async function insertRegion(db: Db, spec: Region, credentials: RegistryCredentials | null): Promise<void> {
  const stamp = now();
  const row = { id: randomUUID(), name: spec.name, spec: JSON.stringify(spec), revision: 1, created_at: stamp, updated_at: stamp };
  try {
    await db.q
      .insertInto('regions')
      .values({
        ...row,
        account_id: firstAccountId(db),
        account_name_key: sql<string>`(${firstAccountId(db)}) || '/' || ${spec.name}`,
        registry_credentials: storedRegistryCredentials(db, row.id, credentials),
      })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`region ${spec.name} already exists`);
    throw error;
  }
}

export async function regionBy(db: Db, by: 'name' | 'id', value: string): Promise<RegionRecord> {
  const row = await db.q.selectFrom('regions').selectAll().where(by, '=', value).executeTakeFirst();
  if (!row) throw notFound(`region ${value}`);
  return toRegion(db)(row);
}

/**
 * The new spec, and the registry credentials unless undefined (null removes them). One
 * statement: an agent must never read the new revision with the old registry credentials.
 */
export async function updateRegion(db: Db, id: string, spec: Region, credentials: RegistryCredentials | null | undefined): Promise<void> {
  await db.tx(async (tx) => {
    const moved = await tx.q
      .updateTable('regions')
      .set((eb) => ({
        spec: JSON.stringify(spec),
        revision: eb('revision', '+', 1),
        updated_at: now(),
        // The Cloud API's configuration no longer says what the spec is: it is derived from the spec again.
        cloud_configuration: null,
        ...(credentials === undefined ? {} : { registry_credentials: storedRegistryCredentials(db, id, credentials) }),
      }))
      .where('id', '=', id)
      .returning('revision')
      .executeTakeFirst();
    await announceRevision(tx, id, moved);
  });
}

/** The region's registry credentials, password included: for the installation command and the agent only. */
export async function registryCredentials(db: Db, regionId: string): Promise<RegistryCredentials | undefined> {
  const row = await db.q.selectFrom('regions').select('registry_credentials').where('id', '=', regionId).executeTakeFirst();
  return row?.registry_credentials ? openRegistryCredentials(db, regionId, row.registry_credentials) : undefined;
}

export async function regionRevision(db: Db, regionId: string): Promise<number | undefined> {
  const row = await db.q.selectFrom('regions').select('revision').where('id', '=', regionId).executeTakeFirst();
  return row ? Number(row.revision) : undefined;
}
