// AccountService's accounts and members, BillingService: what an Owner, a member and a key may
// do with an account, over Connect JSON.
import { describe, expect, it } from 'vitest';
import { ACCOUNTS, BILLING, HYBRID, billing, connect, refusal, roleId, sessionIn, signUp } from './support/accounts.ts';
import { cloudPlane, type Dialect } from './support/cloud.ts';
import { addMember } from '../src/repositories/users.ts';

let counter = 0;
const email = (who: string) => `${who}-${process.pid}-${counter++}@example.test`;

describe.each(['sqlite', 'postgres'] as const)('accounts on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false, autoApproveAccounts: true });
  const call = (method: string, body: unknown, headers: Record<string, string>) => connect(plane, ACCOUNTS, method, body, headers);

  it('creates an account for a signed-in user (its Owner), not for a key', async () => {
    const ada = await signUp(plane, email('ada'));
    const made = await call('CreateAccount', { account: { name: 'second', company: { name: 'Acme' } } }, ada.headers);
    expect(made.status, made.text).toBe(200);
    expect(made.json.account).toMatchObject({ name: 'second', ownerEmail: expect.stringMatching(/^ada-/), company: { name: 'Acme' } });
    const listed = await call('ListAccounts', {}, ada.headers);
    expect(listed.json.items.map((a: { id: string }) => a.id)).toContain(made.json.account.id);
    expect(refusal(await call('CreateAccount', { account: { name: 'x' } }, plane.auth())).code).toBe('failed_precondition');
    expect(refusal(await call('CreateAccount', { account: { name: 'x', ownerEmail: 'eve@example.test', privileges: ['all'] } }, ada.headers))).toEqual({
      code: 'invalid_argument',
      message: expect.stringMatching(/^account\.owner_email, account\.privileges: read-only/),
    });
    const keyList = await call('ListAccounts', {}, plane.auth());
    expect(keyList.json.items.map((a: { id: string }) => a.id)).toEqual([plane.cp.accountId]);
  });

  it('updates name and company by the mask; refuses read-only fields and unknown paths', async () => {
    const ada = await signUp(plane, email('ada'));
    const got = (await call('GetAccount', { accountId: ada.accountId }, ada.headers)).json.account;
    const res = await call('UpdateAccount', { account: { ...got, name: 'renamed', company: { name: 'Other' } }, updateMask: 'name' }, ada.headers);
    expect(res.status, res.text).toBe(200);
    expect(res.json.account).toMatchObject({ name: 'renamed', company: { name: 'Acme', domain: 'acme.test' } });
    const both = await call('UpdateAccount', { account: { id: ada.accountId, name: 'both', company: { name: 'Other' } } }, ada.headers);
    expect(both.json.account).toMatchObject({ name: 'both', company: { name: 'Other' } });
    expect(both.json.account.company.domain).toBeUndefined();
    expect(refusal(await call('UpdateAccount', { account: { id: ada.accountId, name: 'x' }, updateMask: 'ownerEmail' }, ada.headers))).toEqual({
      code: 'invalid_argument',
      message: expect.stringMatching(/^update_mask\.paths\[0\]: "owner_email" cannot be updated/),
    });
    expect(refusal(await call('UpdateAccount', { account: { id: ada.accountId, name: 'x', externalOwnerId: 'y' } }, ada.headers)).message).toMatch(
      /^account\.external_owner_id: read-only/,
    );
  });
});

describe.each(['sqlite', 'postgres'] as const)('billing details and deleting accounts on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false, autoApproveAccounts: true });
  const call = (method: string, body: unknown, headers: Record<string, string>) => connect(plane, ACCOUNTS, method, body, headers);

  it('reads and replaces the billing details, validated', async () => {
    const ada = await signUp(plane, email('ada'));
    const got = await connect(plane, BILLING, 'GetBillingInformation', { accountId: ada.accountId }, ada.headers);
    expect(got.json.billingInformation).toMatchObject({ companyName: 'Acme GmbH', country: 'DE' });
    const put = await connect(
      plane,
      BILLING,
      'UpdateBillingInformation',
      { accountId: ada.accountId, billingInformation: billing({ country: 'fr', city: 'Paris' }) },
      ada.headers,
    );
    expect(put.json.billingInformation).toMatchObject({ country: 'FR', city: 'Paris' });
    const bad = await connect(
      plane,
      BILLING,
      'UpdateBillingInformation',
      { accountId: ada.accountId, billingInformation: billing({ billingEmail: 'nope' }) },
      ada.headers,
    );
    expect(refusal(bad)).toEqual({ code: 'invalid_argument', message: expect.stringMatching(/^billing_information\.billing_email: /) });
    expect((await connect(plane, BILLING, 'GetBillingInformation', { accountId: ada.accountId }, ada.headers)).json.billingInformation.city).toBe('Paris');
  });

  it('deletes an account only for its Owner and only without environments', async () => {
    const ada = await signUp(plane, email('ada'));
    const env = await connect(
      plane,
      HYBRID,
      'CreateHybridCloudEnvironment',
      { hybridCloudEnvironment: { accountId: ada.accountId, name: 'e', configuration: { namespace: 'qhc' } } },
      ada.headers,
    );
    expect(env.status, env.text).toBe(200);
    expect(refusal(await call('DeleteAccount', { accountId: ada.accountId }, ada.headers))).toEqual({
      code: 'failed_precondition',
      message: `account ${ada.accountId} has 1 hybrid cloud environment(s); delete them first`,
    });
    await connect(
      plane,
      HYBRID,
      'DeleteHybridCloudEnvironment',
      { accountId: ada.accountId, hybridCloudEnvironmentId: env.json.hybridCloudEnvironment.id },
      ada.headers,
    );
    const bob = await signUp(plane, email('bob'));
    await addMember(plane.cp.store.db, ada.accountId, bob.userId, [await roleId(plane, ada.accountId, 'Admin')], () => plane.clock.now);
    expect(refusal(await call('DeleteAccount', { accountId: ada.accountId }, await sessionIn(plane, bob.userId, ada.accountId))).code).toBe(
      'permission_denied',
    );
    const deleted = await call('DeleteAccount', { accountId: ada.accountId }, ada.headers);
    expect(deleted.status, deleted.text).toBe(200);
    expect(refusal(await call('GetAccount', { accountId: ada.accountId }, ada.headers)).code).toBe('unauthenticated');
    expect(refusal(await call('DeleteAccount', { accountId: plane.cp.accountId }, plane.auth())).code).toBe('failed_precondition');
  });
});

describe.each(['sqlite', 'postgres'] as const)('members on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false, autoApproveAccounts: true });
  const call = (method: string, body: unknown, headers: Record<string, string>) => connect(plane, ACCOUNTS, method, body, headers);

  it('removes a member (not the Owner); the removed member loses access at once', async () => {
    const ada = await signUp(plane, email('ada'));
    const bob = await signUp(plane, email('bob'));
    await addMember(plane.cp.store.db, ada.accountId, bob.userId, [await roleId(plane, ada.accountId, 'Viewer')], () => plane.clock.now);
    const bobInAda = await sessionIn(plane, bob.userId, ada.accountId);
    expect((await call('GetAccount', { accountId: ada.accountId }, bobInAda)).status).toBe(200);
    expect((await call('GetAccountMember', { accountId: ada.accountId, userId: bob.userId }, ada.headers)).json.accountMember).toMatchObject({
      accountMember: { id: bob.userId, status: 'USER_STATUS_ACTIVE' },
    });
    expect(refusal(await call('DeleteAccountMember', { accountId: ada.accountId, userId: ada.userId }, ada.headers)).code).toBe('failed_precondition');
    expect((await call('DeleteAccountMember', { accountId: ada.accountId, userId: bob.userId }, ada.headers)).status).toBe(200);
    expect(refusal(await call('GetAccount', { accountId: ada.accountId }, bobInAda)).code).toBe('unauthenticated');
    expect(refusal(await call('GetAccountMember', { accountId: ada.accountId, userId: bob.userId }, ada.headers)).code).toBe('not_found');
    expect((await call('GetAccount', { accountId: bob.accountId }, bob.headers)).status).toBe(200);
  });

  it('lets a member leave, not the last Owner', async () => {
    const ada = await signUp(plane, email('ada'));
    expect(refusal(await call('LeaveAccount', { accountId: ada.accountId }, ada.headers)).message).toMatch(/^you are the last Owner of account/);
    const bob = await signUp(plane, email('bob'));
    await addMember(plane.cp.store.db, ada.accountId, bob.userId, [], () => plane.clock.now);
    const bobInAda = await sessionIn(plane, bob.userId, ada.accountId);
    expect((await call('LeaveAccount', { accountId: ada.accountId }, bobInAda)).status).toBe(200);
    expect((await call('ListAccountMembers', { accountId: ada.accountId }, ada.headers)).json.items.length).toBe(1);
  });

  it('answers SuggestCompanies Unimplemented, saying why', async () => {
    const ada = await signUp(plane, email('ada'));
    expect(refusal(await call('SuggestCompanies', { name: 'Acme' }, ada.headers))).toEqual({
      code: 'unimplemented',
      message: expect.stringContaining('no company directory'),
    });
  });
});
