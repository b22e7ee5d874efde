// qhc account, qhc account billing and qhc audit against the real control plane: the context's
// account read and changed, its company and billing information, and the audit log of the changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealControlPlane, type ControlPlane } from './control-plane.ts';

let cp: ControlPlane;
beforeAll(async () => {
  cp = await startRealControlPlane();
});
afterAll(() => cp?.stop());

const ok = async (args: string[]) => {
  const run = await cp.run(args);
  expect(run.code, `qhc ${args.join(' ')}\n${run.stderr}\n${cp.log().slice(-2000)}`).toBe(0);
  return run;
};
const json = async <T>(args: string[]) => JSON.parse((await ok([...args, '-o', 'json'])).stdout) as T;

describe('qhc account', () => {
  it("reads and renames the context's account, by id or by name", async () => {
    const account = await json<{ id: string; name: string }>(['account', 'get']);
    expect(account.id).toBe(cp.accountId);
    const listed = await json<{ items: Array<{ id: string }> }>(['account', 'list']);
    expect(listed.items.map((a) => a.id)).toEqual([cp.accountId]);
    const renamed = await json<{ id: string; name: string; company?: { name?: string } }>([
      'account',
      'update',
      '--name',
      'platform',
      '--company-name',
      'Acme GmbH',
    ]);
    expect(renamed).toMatchObject({ id: cp.accountId, name: 'platform', company: { name: 'Acme GmbH' } });
    const table = (await ok(['account', 'get', 'platform'])).stdout.split('\n');
    expect(table[0]).toMatch(/^NAME\s+ID\s+OWNER\s+AGE$/);
    expect(table[1]).toMatch(new RegExp(`^platform\\s+${cp.accountId}\\s`));
    const missing = await cp.run(['account', 'get', 'nowhere']);
    expect([missing.code, missing.stderr]).toEqual([3, 'error: account "nowhere" does not exist\nhint: see `qhc account list`\n']);
  });

  it("a key cannot delete its account: the server's refusal is printed with its code", async () => {
    const refused = await cp.run(['account', 'delete', cp.accountId, '-y']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: DeleteAccount is for a signed-in user.* \(FAILED_PRECONDITION\)\n$/);
  });

  it('the first account is approved; its access state says so', async () => {
    const access = await json<{ accountId: string; status: string }>(['account', 'access']);
    expect(access).toMatchObject({ accountId: cp.accountId, status: 'ACCOUNT_STATUS_APPROVED' });
    expect((await ok(['account', 'access'])).stdout).toMatch(new RegExp(`^${cp.accountId}\\s+APPROVED\\s`, 'm'));
  });
});

describe('qhc account billing', () => {
  it('sets the fields named and keeps the others', async () => {
    await ok(['account', 'billing', 'set', '--company-name', 'Acme GmbH', '--tax-id', 'DE123456789', '--billing-email', 'billing@acme.test']);
    const after = await json<Record<string, string>>(['account', 'billing', 'set', '--city', 'Berlin', '--country', 'DE']);
    expect(after).toMatchObject({ companyName: 'Acme GmbH', taxId: 'DE123456789', billingEmail: 'billing@acme.test', city: 'Berlin', country: 'DE' });
    expect(await json(['account', 'billing', 'get'])).toEqual(after);
    const table = (await ok(['account', 'billing', 'get'])).stdout;
    expect(table).toMatch(/^Acme GmbH\s+DE123456789\s+billing@acme\.test\s+Berlin, DE$/m);
  });
});

describe('qhc audit', () => {
  it('lists the changes made here, filtered by method, time and count', async () => {
    await ok(['role', 'create', 'audited', '--permission', 'read:clusters']);
    type Events = { items: Array<{ method: string; actor: { kind: string; keyPrefix?: string }; objectType: string; objectId: string }> };
    const created = await json<Events>(['audit', 'list', '--method', 'CreateRole']);
    expect(created.items).toHaveLength(1);
    expect(created.items[0]!.actor.kind).toBe('AUDIT_ACTOR_KIND_MANAGEMENT_KEY');
    const updates = await json<Events>(['audit', 'list', '--since', '1h']);
    expect(updates.items.length).toBeGreaterThanOrEqual(2);
    expect((await json<Events>(['audit', 'list', '--limit', '1'])).items).toHaveLength(1);
    const before = await cp.run(['audit', 'list', '--until', '2000-01-01T00:00:00Z']);
    expect([before.code, before.stdout, before.stderr]).toEqual([0, '', 'No events found.\n']);
    const table = (await ok(['audit', 'list', '--method', 'CreateRole'])).stdout.split('\n');
    expect(table[0]).toMatch(/^TIME\s+ACTOR\s+METHOD\s+OBJECT$/);
    expect(table[1]).toMatch(/^\S+Z\s+key qhc_m_\S+\s+\S*CreateRole\s+\S+/);
  });
});
