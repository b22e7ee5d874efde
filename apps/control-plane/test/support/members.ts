import { insertRole } from '../../src/repositories/roles.ts';
import { addMember } from '../../src/repositories/users.ts';
import { roleId, sessionIn, signUp, type Headers, type SignedUp } from './accounts.ts';
import type { CloudPlane } from './cloud.ts';
import { sqlOn } from './sql.ts';

// People of an account for the security tests: a signed-up person made a member of another's
// account with chosen roles, acting there through a console session.

let counter = 0;
export const email = (who: string) => `${who}-${process.pid}-${counter++}@example.test`;

export interface Member extends SignedUp {
  /** A console session acting in the account they joined. */
  inAccount: Headers;
}

/** A person who signed up and was made a member of `accountId` with the built-in roles `roles` and role ids `roleIds`. */
export async function memberOf(plane: CloudPlane, accountId: string, who: string, roles: readonly string[], roleIds: readonly string[] = []): Promise<Member> {
  const person = await signUp(plane, email(who));
  const ids = [...(await Promise.all(roles.map((name) => roleId(plane, accountId, name)))), ...roleIds];
  await addMember(plane.cp.store.db, accountId, person.userId, ids, () => plane.clock.now);
  return { ...person, inAccount: await sessionIn(plane, person.userId, accountId) };
}

/** A custom role of `accountId` with `permissions`. */
export async function customRole(plane: CloudPlane, accountId: string, permissions: readonly string[]): Promise<string> {
  const name = `custom ${counter++}`;
  return (await insertRole(plane.cp.store.db, accountId, { name, description: '', permissions: [...permissions] }, () => plane.clock.now)).id;
}

/** Takes the built-in role `name` from a member. */
export async function takeRole(plane: CloudPlane, accountId: string, userId: string, name: string): Promise<void> {
  await sqlOn(plane.cp.store.db).run('DELETE FROM user_roles WHERE account_id = $1 AND user_id = $2 AND role_id = $3', [
    accountId,
    userId,
    await roleId(plane, accountId, name),
  ]);
}
