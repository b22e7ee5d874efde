import type { Region, RegionRecord } from '@qhc/schemas';
import { changed, isUniqueViolation, type Db } from '../db/db.ts';
import { conflict } from '../errors.ts';
import { REGION_RECORD_COLUMNS, toRegion } from './rows.ts';
import { announceRevision } from './regions.ts';

// Regions as the Cloud API's hybrid cloud environments: an account's regions, with the
// configuration message its client sent (stored as sent) beside the spec derived from it.

export interface EnvironmentRecord {
  region: RegionRecord;
  accountId: string;
  /** The configuration as sent (base64 of its binary); undefined for a region /api/v1 made. */
  configuration: string | undefined;
  bootstrapCommandsGenerated: boolean;
}

export interface EnvironmentWrite {
  name: string;
  spec: Region;
  configuration: string;
}

const nameTaken = (name: string) => conflict(`an environment named ${JSON.stringify(name)} already exists`);

function select(db: Db, accountId: string) {
  return db.q
    .selectFrom('regions')
    .select([...REGION_RECORD_COLUMNS, 'account_id', 'cloud_configuration', 'bootstrap_commands_generated'])
    .where('account_id', '=', accountId);
}

function toEnvironment(db: Db) {
  const region = toRegion(db);
  return (row: Awaited<ReturnType<ReturnType<typeof select>['executeTakeFirstOrThrow']>>): EnvironmentRecord => ({
    region: region(row),
    accountId: row.account_id!,
    configuration: row.cloud_configuration ?? undefined,
    bootstrapCommandsGenerated: Boolean(row.bootstrap_commands_generated),
  });
}

/** The account's regions, oldest first (the API's lists are not paged). */
export async function listEnvironments(db: Db, accountId: string): Promise<EnvironmentRecord[]> {
  const rows = await select(db, accountId).orderBy('created_at').orderBy('id').execute();
  return rows.map(toEnvironment(db));
}

/** The account's region `id`; another account's is as absent as one that does not exist. */
export async function environmentById(db: Db, accountId: string, id: string): Promise<EnvironmentRecord | undefined> {
  const row = await select(db, accountId).where('id', '=', id).executeTakeFirst();
  return row ? toEnvironment(db)(row) : undefined;
}

export async function insertEnvironment(db: Db, id: string, accountId: string, write: EnvironmentWrite, stamp: string): Promise<void> {
  try {
    await db.q
      .insertInto('regions')
      .values({
        id,
        account_id: accountId,
        name: write.name,
        account_name_key: accountNameKey(accountId, write.name),
        spec: JSON.stringify(write.spec),
        cloud_configuration: write.configuration,
        revision: 1,
        created_at: stamp,
        updated_at: stamp,
      })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(write.name);
    throw error;
  }
}

/** What keeps environment names unique per account (migration 15). */
export const accountNameKey = (accountId: string, name: string) => `${accountId}/${name}`;

/** A new name, configuration and spec: a new revision for the region's agent. False when the region is gone. */
export async function updateEnvironment(db: Db, accountId: string, id: string, write: EnvironmentWrite, stamp: string): Promise<boolean> {
  try {
    return await db.tx(async (tx) => {
      const moved = await tx.q
        .updateTable('regions')
        .set((eb) => ({
          name: write.name,
          account_name_key: accountNameKey(accountId, write.name),
          spec: JSON.stringify(write.spec),
          cloud_configuration: write.configuration,
          revision: eb('revision', '+', 1),
          updated_at: stamp,
        }))
        .where('id', '=', id)
        .where('account_id', '=', accountId)
        .returning('revision')
        .executeTakeFirst();
      await announceRevision(tx, id, moved);
      return moved !== undefined;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(write.name);
    throw error;
  }
}

export async function markBootstrapCommandsGenerated(db: Db, id: string): Promise<void> {
  await db.q.updateTable('regions').set({ bootstrap_commands_generated: 1 }).where('id', '=', id).execute();
}

/** As /api/v1 deletes a region: its clusters, resources and tokens go with it. False when it does not exist. */
export async function deleteEnvironment(db: Db, accountId: string, id: string): Promise<boolean> {
  return db.tx(async (tx) => {
    const result = await tx.q.deleteFrom('regions').where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
    // Its agent's long-poll answers at once that the region is gone.
    if (changed(result) > 0) await tx.revisions.moved(tx, id, null);
    return changed(result) > 0;
  });
}
