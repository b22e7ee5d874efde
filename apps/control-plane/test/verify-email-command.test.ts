// `qhc-control-plane verify-email <email>`: an instance administrator vouches for a user's email
// (qhc delivers no mail), after which the user may accept invites sent to it.
import { spawnSync } from 'node:child_process';
import { createLogger } from '@qhc/kube';
import { describe, expect, it } from 'vitest';
import { checkCommand, runCommand } from '../src/commands.ts';
import { openDatabase } from '../src/db/open.ts';
import { insertUser, userById } from '../src/repositories/users.ts';
import { checkBuild, MAIN } from './support/cloud-child.ts';
import { TEST_SECRETS, databaseFor, type Dialect } from './support/cloud.ts';
import { testClock, testDb } from './support/people.ts';

describe.each(['sqlite', 'postgres'] as const)('verify-email on %s', (dialect: Dialect) => {
  const t = testDb(dialect);
  const { clock, now } = testClock();

  it('marks the email verified once (a second run keeps the first time); an unknown email fails naming it', async () => {
    const user = await insertUser(t.db, `Vera-${dialect}@Example.test`, null, now);
    expect((await userById(t.db, user.id))!.email_verified_at).toBeNull();
    expect(await runCommand(t.db, ['verify-email', user.email.toUpperCase()], now)).toBe(
      `the email ${user.email} of user ${user.id} is verified: they may now accept invites sent to it`,
    );
    const first = new Date(clock.now).toISOString();
    clock.now += 60_000;
    await runCommand(t.db, ['verify-email', user.email], now);
    expect((await userById(t.db, user.id))!.email_verified_at).toBe(first);
    await expect(runCommand(t.db, ['verify-email', 'nobody@example.test'], now)).rejects.toThrow('verify-email: no user has the email nobody@example.test');
  });
});

describe('qhc-control-plane verify-email', () => {
  it('checks its arguments before opening anything', () => {
    expect(() => checkCommand(['verify-email'])).toThrow('unknown command verify-email (there are: rotate-secrets, verify-email <email>)');
    expect(() => checkCommand(['verify-email', 'a@b.test', 'c'])).toThrow('unknown command verify-email a@b.test c');
    expect(() => checkCommand(['verify-email', 'a@b.test'])).not.toThrow();
  });

  it('runs from the command line against the database and exits', async () => {
    checkBuild();
    const database = await databaseFor('sqlite');
    const db = await openDatabase(database, createLogger({ level: 'error' }), TEST_SECRETS);
    const user = await insertUser(db, 'cli-vera@example.test', null, Date.now);
    await db.close();
    const run = (email: string) =>
      spawnSync(process.execPath, [MAIN, 'verify-email', email, '--database', database, '--log-level', 'error'], {
        encoding: 'utf8',
        env: { ...process.env, QHC_SECRETS_KEY: TEST_SECRETS.key },
      });
    const done = run(user.email);
    expect([done.status, done.stdout]).toEqual([0, `the email ${user.email} of user ${user.id} is verified: they may now accept invites sent to it\n`]);
    const unknown = run('nobody@example.test');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('verify-email: no user has the email nobody@example.test');
  });
});
