import { randomUUID } from 'node:crypto';
import { createLogger } from '@qhc/kube';
import { afterAll, beforeAll } from 'vitest';
import { createBuiltInRoles } from '../../src/db/built-in-roles.ts';
import type { Db } from '../../src/db/db.ts';
import { openDatabase } from '../../src/db/open.ts';
import { hashPassword, type Argon2Cost } from '../../src/iam/passwords.ts';
import type { SignInPolicy } from '../../src/iam/sign-in.ts';
import { addMember, insertUser } from '../../src/repositories/users.ts';
import { TEST_SECRETS, databaseFor, type Dialect } from './cloud.ts';

// Shared setup of the password sign-in tests: a migrated database per describe block, users
// with cheap argon2id hashes, accounts with their built-in roles.

/** argon2id at a test's cost: the same algorithm, a fraction of the memory. */
export const CHEAP: Argon2Cost = { memoryKiB: 1024, passes: 1, parallelism: 1 };
export const PASSWORD = 'correct horse battery staple';

/** A clock tests move. */
export const testClock = () => {
  const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
  return { clock, now: () => clock.now };
};

export const policy = (overrides: Partial<SignInPolicy> = {}): SignInPolicy => ({
  lockAfter: 10,
  lockForMs: 15 * 60_000,
  perMinute: 1_000,
  cost: CHEAP,
  ...overrides,
});

/** A migrated database for the describe block. */
export function testDb(dialect: Dialect): { readonly db: Db } {
  let db: Db | undefined;
  beforeAll(async () => {
    db = await openDatabase(await databaseFor(dialect), createLogger({ level: 'error' }), TEST_SECRETS);
  });
  afterAll(async () => {
    await db?.close();
  });
  return {
    get db() {
      return db!;
    },
  };
}

/** An account with its built-in roles: its id and the roles' ids by name. */
export async function seedAccount(db: Db, name: string): Promise<{ accountId: string; roles: Map<string, string> }> {
  const accountId = randomUUID();
  const at = '2026-01-01T00:00:00.000Z';
  await db.q.insertInto('accounts').values({ id: accountId, name, created_at: at, last_modified_at: at }).execute();
  return { accountId, roles: await db.tx((tx) => createBuiltInRoles(tx, accountId, at)) };
}

/** A user with `password` (argon2id at `cost`), a member of `accounts` with the named roles there. */
export async function seedUser(
  db: Db,
  email: string,
  memberships: ReadonlyArray<{ accountId: string; roleIds?: string[] }> = [],
  { password = PASSWORD, cost = CHEAP, now = () => Date.parse('2026-01-01T00:00:00Z') } = {},
): Promise<string> {
  const user = await insertUser(db, email, await hashPassword(password, cost), now);
  for (const [i, { accountId, roleIds = [] }] of memberships.entries()) await addMember(db, accountId, user.id, roleIds, () => now() + i);
  return user.id;
}
