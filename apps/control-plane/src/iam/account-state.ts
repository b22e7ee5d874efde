import { Code, ConnectError } from '@connectrpc/connect';
import type { Db } from '../db/db.ts';

/**
 * An account an instance administrator has not approved (or rejected) may sign in and look, but
 * not make or change environments, clusters, backups or keys: FailedPrecondition saying why.
 */
export async function checkAccountApproved(db: Db, accountId: string): Promise<void> {
  const row = await db.q.selectFrom('accounts').select(['status', 'status_reason']).where('id', '=', accountId).executeTakeFirst();
  if (!row || row.status === 'approved') return;
  if (row.status === 'pending') throw new ConnectError(`account ${accountId} is pending approval by an instance administrator`, Code.FailedPrecondition);
  throw new ConnectError(`account ${accountId} was rejected: ${row.status_reason ?? 'no reason given'}`, Code.FailedPrecondition);
}
