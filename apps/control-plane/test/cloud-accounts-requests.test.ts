// Who decides on accounts (instance administrators only), the list they decide from, and
// --auto-approve-accounts.
import { describe, expect, it } from 'vitest';
import { addMember } from '../src/repositories/users.ts';
import { ACCESS, connect, jsonTime, refusal, sessionIn, signUp } from './support/accounts.ts';
import { cloudPlane, type CloudPlane, type Dialect } from './support/cloud.ts';
import { sqlOn } from './support/sql.ts';

let counter = 0;
const email = (who: string) => `${who}-${process.pid}-${counter++}@example.test`;

const list = (plane: CloudPlane, body: Record<string, unknown>, headers: Record<string, string> = plane.auth()) =>
  connect(plane, ACCESS, 'ListAccountRequests', body, headers);

describe.each(['sqlite', 'postgres'] as const)('instance administrators on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false });

  it('refuses the administrator rpcs to anyone else: a signed-up Owner, a key of another account', async () => {
    const ada = await signUp(plane, email('ada'));
    const other = await signUp(plane, email('other'));
    for (const [method, body] of [
      ['ListAccountRequests', {}],
      ['ApproveAccount', { accountId: other.accountId }],
      ['RejectAccount', { accountId: other.accountId, reason: 'no' }],
    ] as const)
      expect(refusal(await connect(plane, ACCESS, method, body, ada.headers))).toEqual({
        code: 'permission_denied',
        message: expect.stringContaining(`${method} is for instance administrators`),
      });
    expect((await sqlOn(plane.cp.store.db).one('SELECT status FROM accounts WHERE id = $1', [other.accountId]))!.status).toBe('pending');
  });

  it('lets users flagged instance_admin and the first account Owners decide', async () => {
    const admin = await signUp(plane, email('admin'));
    await sqlOn(plane.cp.store.db).run('UPDATE users SET instance_admin = 1 WHERE id = $1', [admin.userId]);
    const target = await signUp(plane, email('target'));
    const res = await connect(plane, ACCESS, 'ApproveAccount', { accountId: target.accountId }, admin.headers);
    expect(res.status, res.text).toBe(200);
    expect(res.json.accountRequest.decidedByEmail).toMatch(/^admin-/);

    // A member of the first account as Owner (not flagged) is one too.
    const owner = await signUp(plane, email('first-owner'));
    const ownerRole = (await sqlOn(plane.cp.store.db).one<{ id: string }>("SELECT id FROM roles WHERE account_id = $1 AND sub_type = 'owner'", [
      plane.cp.accountId,
    ]))!.id;
    await addMember(plane.cp.store.db, plane.cp.accountId, owner.userId, [ownerRole], () => plane.clock.now);
    const headers = await sessionIn(plane, owner.userId, plane.cp.accountId);
    expect((await list(plane, {}, headers)).status).toBe(200);
    expect(refusal(await connect(plane, ACCESS, 'ApproveAccount', { accountId: '00000000-0000-4000-8000-000000000000' }, headers)).code).toBe('not_found');
  });

  it('lists accounts newest first, by status, a page at a time', async () => {
    const made = [];
    for (let i = 0; i < 3; i++) {
      plane.clock.now += 1000;
      made.push(await signUp(plane, email(`page${i}`)));
    }
    await connect(plane, ACCESS, 'RejectAccount', { accountId: made[1]!.accountId, reason: 'spam' }, plane.auth());
    const pending = await list(plane, { status: 'ACCOUNT_STATUS_PENDING', pageSize: 1000 });
    const ids = pending.json.items.map((item: { access: { accountId: string } }) => item.access.accountId);
    expect(ids.slice(0, 2)).toEqual([made[2]!.accountId, made[0]!.accountId]);
    expect(ids).not.toContain(made[1]!.accountId);
    const rejected = await list(plane, { status: 'ACCOUNT_STATUS_REJECTED' });
    expect(rejected.json.items).toContainEqual(expect.objectContaining({ access: expect.objectContaining({ accountId: made[1]!.accountId, reason: 'spam' }) }));

    const seen: string[] = [];
    let token = '';
    do {
      const page = await list(plane, { pageSize: 1, pageToken: token });
      expect(page.status, page.text).toBe(200);
      expect(page.json.items.length).toBe(1);
      seen.push(page.json.items[0].access.accountId);
      token = page.json.nextPageToken ?? '';
    } while (token);
    const all = await sqlOn(plane.cp.store.db).all<{ id: string }>('SELECT id FROM accounts ORDER BY created_at DESC, id DESC');
    expect(seen).toEqual(all.map((a) => a.id));
    expect(refusal(await list(plane, { pageToken: 'garbage' })).code).toBe('invalid_argument');
  });
});

describe.each(['sqlite', 'postgres'] as const)('--auto-approve-accounts on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false, autoApproveAccounts: true });

  it('approves on sign-up', async () => {
    const ada = await signUp(plane, email('auto'));
    expect(ada.status).toBe('ACCOUNT_STATUS_APPROVED');
    const res = await connect(plane, ACCESS, 'GetAccountAccess', { accountId: ada.accountId }, ada.headers);
    expect(res.json.access).toMatchObject({ status: 'ACCOUNT_STATUS_APPROVED', decidedAt: jsonTime(plane.clock.now) });
  });
});
