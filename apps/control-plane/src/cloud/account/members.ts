import { Code, ConnectError } from '@connectrpc/connect';
import type { accountV1 } from '@qhc/cloud-api';
import { membersOf, removeMember } from '../../repositories/account-members.ts';
import type { Caller, CloudDeps } from '../context.ts';
import { uuidField } from '../qhc/fields.ts';
import { toMember } from './messages.ts';

// AccountService's members: the users of an account and whether each is an Owner.

export async function listMembers(deps: CloudDeps, caller: Caller): Promise<accountV1.AccountMember[]> {
  return (await membersOf(deps.db, caller.accountId)).map(toMember);
}

export async function getMember(deps: CloudDeps, caller: Caller, userId: string): Promise<accountV1.AccountMember> {
  const id = uuidField('user_id', userId);
  const [row] = await membersOf(deps.db, caller.accountId, id);
  if (!row) throw new ConnectError(`member ${id} not found`, Code.NotFound);
  return toMember(row);
}

/** Removes a member (not an Owner: ownership is given away first); their sessions in the account end. */
export async function deleteMember(deps: CloudDeps, caller: Caller, userId: string): Promise<void> {
  const member = await getMember(deps, caller, userId);
  if (member.isOwner)
    throw new ConnectError(
      `member ${member.accountMember!.id} is an Owner of the account; an Owner cannot be removed (they may leave once another Owner exists)`,
      Code.FailedPrecondition,
    );
  await removeMember(deps.db, caller.accountId, member.accountMember!.id, deps.now);
}
