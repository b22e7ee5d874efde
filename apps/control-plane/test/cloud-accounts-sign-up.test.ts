// Sign-up and the approval of accounts (qhc.v1.AccountAccessService) over Connect JSON, as the
// console calls it: a pending account reads but cannot write until an instance administrator decides.
import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../src/iam/passwords.ts';
import { ACCESS, HYBRID, PASSWORD, connect, jsonTime, refusal, signUp, signUpBody, type Headers } from './support/accounts.ts';
import { cloudPlane, type CloudPlane, type Dialect } from './support/cloud.ts';
import { sqlOn } from './support/sql.ts';

let counter = 0;
const email = (who: string) => `${who}-${process.pid}-${counter++}@Example.test`;

const createEnvironment = (plane: CloudPlane, accountId: string, headers: Headers) =>
  connect(
    plane,
    HYBRID,
    'CreateHybridCloudEnvironment',
    { hybridCloudEnvironment: { accountId, name: `env-${counter++}`, configuration: { namespace: 'qhc' } } },
    headers,
  );

const access = async (plane: CloudPlane, accountId: string, headers: Headers) => {
  const res = await connect(plane, ACCESS, 'GetAccountAccess', { accountId }, headers);
  expect(res.status, res.text).toBe(200);
  return res.json.access;
};

describe.each(['sqlite', 'postgres'] as const)('signing up on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false });

  it('makes a user (argon2id), a pending account it owns with the built-in roles, and a session', async () => {
    const who = email('ada');
    const res = await connect(plane, ACCESS, 'SignUp', signUpBody(who));
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ accountStatus: 'ACCOUNT_STATUS_PENDING', session: { accountId: res.json.accountId, userEmail: who.toLowerCase() } });
    expect(res.headers.get('set-cookie')).toMatch(/^qhc_cloud_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const sql = sqlOn(plane.cp.store.db);
    const user = (await sql.one<{ email: string; password_hash: string }>('SELECT email, password_hash FROM users WHERE id = $1', [res.json.userId]))!;
    expect(user.email).toBe(who.toLowerCase());
    expect(user.password_hash).toMatch(/^\$argon2id\$v=19\$/);
    expect(await verifyPassword(PASSWORD, user.password_hash)).toBe(true);
    const account = await sql.one('SELECT name, status, company_name, company_domain, billing, owner_user_id FROM accounts WHERE id = $1', [
      res.json.accountId,
    ]);
    expect(account).toMatchObject({ status: 'pending', company_name: 'Acme', company_domain: 'acme.test', owner_user_id: res.json.userId });
    expect(JSON.parse(account!.billing as string)).toMatchObject({ country: 'DE', billingEmail: 'billing@acme.test' });
    const roles = await sql.all<{ name: string }>(
      'SELECT r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = $1 AND ur.account_id = $2 ORDER BY r.name',
      [res.json.userId, res.json.accountId],
    );
    expect(roles.map((r) => r.name)).toEqual(['Base', 'Owner']);
    expect((await sql.all('SELECT name FROM roles WHERE account_id = $1', [res.json.accountId])).length).toBe(5);
  });

  it('refuses an email that already has a user, naming the field, and changes nothing', async () => {
    const who = email('bob');
    await signUp(plane, who);
    const before = await sqlOn(plane.cp.store.db).all('SELECT id FROM accounts ORDER BY id');
    const again = refusal(await connect(plane, ACCESS, 'SignUp', signUpBody(who.toUpperCase(), { accountName: 'second' })));
    expect(again).toEqual({ code: 'already_exists', message: expect.stringMatching(/^email: a user with this email exists/) });
    expect(await sqlOn(plane.cp.store.db).all('SELECT id FROM accounts ORDER BY id')).toEqual(before);
  });

  it.each([
    [{ email: 'not-an-email' }, /^email: /],
    [{ password: 'short' }, /^password: too short/],
    [{ accountName: '' }, /^account_name: missing/],
    [{ accountName: 'x'.repeat(65) }, /^account_name: at most 64/],
    [{ billingInformation: undefined }, /^billing_information: missing/],
    [{ billingInformation: { billingEmail: 'b@acme.test' } }, /^billing_information\.company_name: missing/],
    [{ billingInformation: { companyName: 'Acme' } }, /^billing_information\.billing_email: /],
    [{ billingInformation: { companyName: 'Acme', billingEmail: 'b@acme.test', country: 'XX' } }, /^billing_information\.country: not an ISO 3166-1/],
    [{ billingInformation: { companyName: 'Acme', billingEmail: 'b@acme.test', city: 'c'.repeat(101) } }, /^billing_information\.city: at most 100/],
    [{ company: { name: 'Acme', domain: 'not a domain' } }, /^company\.domain: /],
  ])('refuses a bad form %j with InvalidArgument naming the field', async (override, message) => {
    const res = await connect(plane, ACCESS, 'SignUp', signUpBody(email('form'), override));
    expect(refusal(res)).toEqual({ code: 'invalid_argument', message: expect.stringMatching(message) });
  });
});

describe.each(['sqlite', 'postgres'] as const)('approving accounts on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false });

  it('pending: reads its standing, cannot create an environment; approved: can', async () => {
    const ada = await signUp(plane, email('pending'));
    expect(ada.status).toBe('ACCOUNT_STATUS_PENDING');
    expect(await access(plane, ada.accountId, ada.headers)).toMatchObject({
      accountId: ada.accountId,
      status: 'ACCOUNT_STATUS_PENDING',
      requestedAt: expect.any(String),
    });
    expect(refusal(await createEnvironment(plane, ada.accountId, ada.headers))).toEqual({
      code: 'failed_precondition',
      message: `account ${ada.accountId} is pending approval by an instance administrator`,
    });

    const approved = await connect(plane, ACCESS, 'ApproveAccount', { accountId: ada.accountId }, plane.auth());
    expect(approved.status, approved.text).toBe(200);
    expect(approved.json.accountRequest).toMatchObject({ access: { status: 'ACCOUNT_STATUS_APPROVED' }, ownerEmail: expect.stringContaining('pending-') });
    expect(await access(plane, ada.accountId, ada.headers)).toMatchObject({ status: 'ACCOUNT_STATUS_APPROVED', decidedAt: jsonTime(plane.clock.now) });
    const created = await createEnvironment(plane, ada.accountId, ada.headers);
    expect(created.status, created.text).toBe(200);
  });

  it('rejected: the reason is required, recorded and shown to the members; writes answer it', async () => {
    const bob = await signUp(plane, email('rejected'));
    expect(refusal(await connect(plane, ACCESS, 'RejectAccount', { accountId: bob.accountId, reason: ' ' }, plane.auth()))).toEqual({
      code: 'invalid_argument',
      message: expect.stringMatching(/^reason: missing/),
    });
    const res = await connect(plane, ACCESS, 'RejectAccount', { accountId: bob.accountId, reason: 'not a customer' }, plane.auth());
    expect(res.status, res.text).toBe(200);
    expect(await access(plane, bob.accountId, bob.headers)).toMatchObject({ status: 'ACCOUNT_STATUS_REJECTED', reason: 'not a customer' });
    const row = await sqlOn(plane.cp.store.db).one('SELECT decided_by, decided_at FROM accounts WHERE id = $1', [bob.accountId]);
    expect(row).toEqual({ decided_by: expect.stringMatching(/^management_key:/), decided_at: new Date(plane.clock.now).toISOString() });
    expect(refusal(await createEnvironment(plane, bob.accountId, bob.headers))).toEqual({
      code: 'failed_precondition',
      message: `account ${bob.accountId} was rejected: not a customer`,
    });
  });
});
