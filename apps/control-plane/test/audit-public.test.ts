// The trail's events without a caller (sign-up, password sign-in and its refusal) and the
// retention pass (at start, then on its interval), against the repositories on SQLite and
// PostgreSQL. The rpcs' handlers are stand-ins: the interceptor records what they answer.
import { create } from '@bufbuild/protobuf';
import { Code, ConnectError, createContextValues, type UnaryRequest } from '@connectrpc/connect';
import { qhcV1 } from '@qhc/cloud-api';
import { createLogger } from '@qhc/kube';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { recordPublicCall, SIGN_IN_FAILED } from '../src/cloud/audit/public-events.ts';
import { REMOTE_ADDRESS } from '../src/cloud/remote-address.ts';
import { startAuditPruning } from '../src/cloud/audit/retention.ts';
import type { CloudDeps } from '../src/cloud/context.ts';
import type { Db } from '../src/db/db.ts';
import { openDatabase } from '../src/db/open.ts';
import { insertAuditEvent, listAuditEvents } from '../src/repositories/audit-events.ts';
import { insertUser } from '../src/repositories/users.ts';
import { TEST_SECRETS, databaseFor, type Dialect } from './support/cloud.ts';

const logger = createLogger({ level: 'error' });
const NOW = Date.parse('2026-03-01T00:00:00Z');
const PASSWORD = 'correct horse battery staple';

function database(dialect: Dialect) {
  const held: { db?: Db } = {};
  beforeAll(async () => {
    held.db = await openDatabase(await databaseFor(dialect), logger, TEST_SECRETS);
  });
  afterAll(() => held.db?.close());
  return () => held.db!;
}

const request = (method: UnaryRequest['method'], message: unknown): UnaryRequest => {
  const contextValues = createContextValues();
  contextValues.set(REMOTE_ADDRESS, '192.0.2.7');
  return { stream: false, method, service: method.parent, message, contextValues, header: new Headers() } as unknown as UnaryRequest;
};

const rowsOf = async (db: Db, accountId: string) => listAuditEvents(db, { accountId }, { limit: 100 });

describe.each(['sqlite', 'postgres'] as const)('sign-up and sign-in in the trail on %s', (dialect: Dialect) => {
  const db = database(dialect);
  const deps = () => ({ db: db(), now: () => NOW, logger }) as unknown as CloudDeps;

  it('records a sign-up as the new user in the new account, without the password', async () => {
    const [accountId, userId] = [crypto.randomUUID(), crypto.randomUUID()];
    const message = create(qhcV1.SignUpRequestSchema, { email: 'New@Example.com', password: PASSWORD, accountName: 'acme' });
    const answer = { message: create(qhcV1.SignUpResponseSchema, { accountId, userId, session: { accountId, userId, csrfToken: 'csrf-secret' } }) };
    await recordPublicCall(deps(), request(qhcV1.AccountAccessService.method.signUp, message), async () => answer);
    const rows = await rowsOf(db(), accountId);
    expect(rows.map((r) => [r.actor_kind, r.actor_id, r.actor_label, r.method, r.object_type, r.object_id, r.remote_address])).toEqual([
      ['user', userId, 'new@example.com', 'qhc.v1.AccountAccessService/SignUp', 'account', accountId, '192.0.2.7'],
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/correct horse|csrf-secret/);
  });

  it('records a password sign-in as the user, and a refused one as sign_in_failed in their account', async () => {
    const accountId = crypto.randomUUID();
    const user = await insertUser(db(), `u-${accountId}@example.com`, null, () => NOW);
    await db()
      .q.insertInto('accounts')
      .values({ id: accountId, name: `a-${accountId}`, created_at: new Date(NOW).toISOString() } as never)
      .execute();
    await db()
      .q.insertInto('account_members')
      .values({ account_id: accountId, user_id: user.id, created_at: new Date(NOW).toISOString() } as never)
      .execute();
    const method = qhcV1.SessionService.method.signInWithPassword;
    const message = create(qhcV1.SignInWithPasswordRequestSchema, { email: user.email, password: PASSWORD });
    const session = { accountId, userId: user.id, userEmail: user.email, csrfToken: 'csrf-secret' };
    await recordPublicCall(deps(), request(method, message), async () => ({ message: create(qhcV1.SignInWithPasswordResponseSchema, { session }) }));
    // As the sign-in refuses a wrong password (only such refusals are recorded; a malformed request is not).
    const refused = new ConnectError('wrong email or password', Code.Unauthenticated);
    await expect(recordPublicCall(deps(), request(method, message), () => Promise.reject(refused))).rejects.toBe(refused);
    const rows = await rowsOf(db(), accountId);
    expect(rows.map((r) => [r.actor_kind, r.actor_id, r.actor_label, r.method, r.object_type, r.object_id]).toSorted()).toEqual(
      [
        ['user', user.id, user.email, 'qhc.v1.SessionService/SignInWithPassword', 'session', user.id],
        ['user', user.id, user.email, SIGN_IN_FAILED, 'user', user.id],
      ].toSorted(),
    );
    expect(JSON.stringify(rows)).not.toMatch(/correct horse|csrf-secret/);
  });
});

describe.each(['sqlite', 'postgres'] as const)('a refused sign-in of an email nobody has, on %s', (dialect: Dialect) => {
  const db = database(dialect);
  const deps = () => ({ db: db(), now: () => NOW, logger }) as unknown as CloudDeps;

  it('writes no event: what was typed as the email (often a password) is never stored', async () => {
    const typed = `hunter2-${crypto.randomUUID()}@example.com`;
    const method = qhcV1.SessionService.method.signInWithPassword;
    const message = create(qhcV1.SignInWithPasswordRequestSchema, { email: typed, password: PASSWORD });
    const refused = new ConnectError('wrong email or password', Code.Unauthenticated);
    await expect(recordPublicCall(deps(), request(method, message), () => Promise.reject(refused))).rejects.toBe(refused);
    const found = await db()
      .q.selectFrom('audit_events')
      .select('id')
      .where((eb) => eb.or([eb('actor_label', 'like', `%${typed}%`), eb('after_summary', 'like', `%${typed}%`)]))
      .execute();
    expect(found).toEqual([]);
  });
});

describe.each(['sqlite', 'postgres'] as const)('the retention pass on %s', (dialect: Dialect) => {
  const db = database(dialect);
  afterEach(() => vi.useRealTimers());
  const event = (accountId: string, ageDays: number) =>
    insertAuditEvent(db(), {
      account_id: accountId,
      occurred_at: new Date(NOW - ageDays * 86_400_000).toISOString(),
      actor_kind: 'system',
      actor_id: '',
      actor_label: '',
      method: 'm',
      object_type: 't',
      object_id: '',
      before_summary: null,
      after_summary: null,
      remote_address: null,
    });

  it('prunes at start, then on every interval, only what is older than the retention', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const accountId = crypto.randomUUID();
    const clock = { now: NOW };
    const [kept, old] = [await event(accountId, 10), await event(accountId, 31)];
    const pruning = await startAuditPruning(db(), () => clock.now, 30 * 86_400, logger, 60_000);
    const ids = async () => (await rowsOf(db(), accountId)).map((r) => r.id);
    expect(await ids()).toEqual([kept.id]);
    expect(old.id).not.toBe(kept.id);
    clock.now += 21 * 86_400_000;
    vi.advanceTimersByTime(60_000);
    await vi.waitFor(async () => expect(await ids()).toEqual([]));
    await pruning.stop();
  });
});
