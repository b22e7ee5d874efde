import { randomUUID } from 'node:crypto';
import type { Db } from './db.ts';

/** The account a fresh control plane (or one from before accounts) starts with; it owns every region and cluster so far. */
export async function createFirstAccount(tx: Db): Promise<void> {
  const id = randomUUID();
  await tx.q.insertInto('accounts').values({ id, name: 'default', created_at: new Date().toISOString() }).execute();
  await tx.q.updateTable('regions').set({ account_id: id }).execute();
  await tx.q.updateTable('clusters').set({ account_id: id }).execute();
}
