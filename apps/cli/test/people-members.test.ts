// qhc member and qhc invite against the real control plane: a person signs up (their own pending
// account), signs in with `qhc login --email`, is invited into the first account with a role,
// accepts, gets other roles, switches accounts, and is removed.
import { createClient } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-node';
import { qhcV1 } from '@qhc/cloud-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealControlPlane, type ControlPlane } from './control-plane.ts';

let cp: ControlPlane;
const ALICE = 'alice@example.test';
const PASSWORD = 'correct horse battery staple';
let aliceAccountId: string;
beforeAll(async () => {
  cp = await startRealControlPlane();
  const access = createClient(qhcV1.AccountAccessService, createConnectTransport({ baseUrl: cp.url, httpVersion: '1.1' }));
  const signedUp = await access.signUp({
    email: ALICE,
    password: PASSWORD,
    accountName: 'alice-co',
    company: { name: 'Alice Co' },
    billingInformation: { companyName: 'Alice Co', billingEmail: ALICE, country: 'FR' },
  });
  aliceAccountId = signedUp.accountId;
  // Invites reach verified emails only.
  cp.verifyEmail(ALICE);
});
afterAll(() => cp?.stop());

const ok = async (args: string[], env?: Record<string, string | undefined>) => {
  const run = await cp.run(args, env ? { env } : {});
  expect(run.code, `qhc ${args.join(' ')}\n${run.stderr}\n${cp.log().slice(-2000)}`).toBe(0);
  return run;
};
/** Alice's own context: `qhc login --email` saved it in this XDG folder, no key in the environment. */
const alice = (xdg: string) => ({ XDG_CONFIG_HOME: xdg, QHC_URL: undefined, QHC_MANAGEMENT_KEY: undefined, QHC_ACCOUNT_ID: undefined });
type Invite = { id: string; userEmail: string; status: string; accountId: string };

async function aliceSignsIn(): Promise<Record<string, string | undefined>> {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const env = alice(mkdtempSync(join(tmpdir(), 'qhc-alice-')));
  const wrong = await cp.run(['login', cp.url, '--email', ALICE, '--name', 'alice'], { env: { ...env, QHC_PASSWORD: 'wrong' } });
  expect(wrong.code).toBe(1);
  expect(wrong.stderr).toMatch(/\(UNAUTHENTICATED\)/);
  const signedIn = await ok(['login', cp.url, '--email', ALICE, '--name', 'alice'], { ...env, QHC_PASSWORD: PASSWORD });
  expect(signedIn.stderr).toBe(`signed in to ${cp.url} as ${ALICE} (account ${aliceAccountId}) as context "alice"\n`);
  const access = JSON.parse((await ok(['account', 'access', '-o', 'json'], env)).stdout) as { status: string };
  expect(access.status).toBe('ACCOUNT_STATUS_PENDING');
  return env;
}

describe('qhc member invite, qhc invite accept', () => {
  it('invites by email with a role; the invitee sees it, accepts, and is a member with that role', async () => {
    const env = await aliceSignsIn();
    const invited = JSON.parse((await ok(['member', 'invite', ALICE, '--role', 'Viewer', '-o', 'json'])).stdout) as Invite;
    expect(invited).toMatchObject({ userEmail: ALICE, status: 'ACCOUNT_INVITE_STATUS_PENDING', accountId: cp.accountId });
    expect((await ok(['member', 'invites', '--status', 'pending'])).stdout).toMatch(new RegExp(`^${invited.id}\\s+${ALICE}\\s+PENDING\\s`, 'm'));
    expect((await ok(['invite', 'list'], env)).stdout).toContain(invited.id);
    const accepted = JSON.parse((await ok(['invite', 'accept', invited.id, '-o', 'json'], env)).stdout) as Invite;
    expect(accepted.status).toBe('ACCOUNT_INVITE_STATUS_ACCEPTED');
    const members = (await ok(['member', 'list'])).stdout;
    expect(members).toMatch(new RegExp(`^${ALICE}\\s+\\S+\\s+no\\s`, 'm'));
    const roles = (await ok(['member', 'roles', ALICE])).stdout;
    expect(
      roles
        .split('\n')
        .slice(1, -1)
        .map((l) => l.split(/\s+/)[0])
        .toSorted(),
    ).toEqual(['Base', 'Viewer']);
  });

  it("changes a member's roles by name; the member switches to the account and acts with them; removed, they cannot", async () => {
    const env = await aliceSignsIn();
    const changed = (await ok(['member', 'roles', ALICE, '--add', 'editor', '--remove', 'Viewer'])).stdout;
    expect(
      changed
        .split('\n')
        .slice(1, -1)
        .map((l) => l.split(/\s+/)[0])
        .toSorted(),
    ).toEqual(['Base', 'Editor']);
    const switched = await ok(['account', 'switch', cp.accountId], env);
    expect(switched.stderr).toBe(`context "alice" now acts in account ${cp.accountId}\n`);
    expect((await ok(['region', 'list'], env)).code).toBe(0);
    const denied = await cp.run(['role', 'create', 'x', '--permission', 'read:clusters'], { env });
    expect(denied.stderr).toMatch(/\(PERMISSION_DENIED\)\n/);
    expect((await ok(['member', 'remove', ALICE, '-y'])).stderr).toBe(`${ALICE} removed from account ${cp.accountId}\n`);
    expect((await ok(['member', 'list'])).stdout).not.toContain(ALICE);
    const removed = await cp.run(['region', 'list'], { env });
    expect([removed.code, removed.stdout]).toEqual([1, '']);
  });
});

describe('qhc member cancel-invite, qhc invite reject', () => {
  it('a canceled invite is gone from the invitee; a rejected one is marked so', async () => {
    const env = await aliceSignsIn();
    const first = JSON.parse((await ok(['member', 'invite', ALICE, '--role', 'Viewer', '-o', 'json'])).stdout) as Invite;
    expect((await ok(['member', 'cancel-invite', first.id])).stderr).toBe(`invite ${first.id} canceled\n`);
    expect((await ok(['invite', 'list'], env)).stdout).not.toContain(first.id);
    const second = JSON.parse((await ok(['member', 'invite', ALICE, '-o', 'json'])).stdout) as Invite;
    const rejected = JSON.parse((await ok(['invite', 'reject', second.id, '-o', 'json'], env)).stdout) as Invite;
    expect(rejected.status).toBe('ACCOUNT_INVITE_STATUS_REJECTED');
    const missing = await cp.run(['invite', 'accept', 'no-such-invite'], { env });
    expect([missing.code, missing.stderr]).toEqual([3, 'error: invite "no-such-invite" does not exist\nhint: see `qhc invite list`\n']);
  });
});

describe('qhc account create, switch, leave (a user)', () => {
  it('a user creates a second account, switches to it by name, and as its last Owner cannot leave it', async () => {
    const env = await aliceSignsIn();
    const created = JSON.parse((await ok(['account', 'create', 'alice-lab', '--company-name', 'Alice Lab', '-o', 'json'], env)).stdout) as { id: string };
    const names = JSON.parse((await ok(['account', 'list', '-o', 'json'], env)).stdout) as { items: Array<{ name: string }> };
    expect(names.items.map((a) => a.name)).toEqual(expect.arrayContaining(['alice-co', 'alice-lab']));
    expect((await ok(['account', 'switch', 'alice-lab'], env)).stderr).toBe(`context "alice" now acts in account ${created.id}\n`);
    expect(JSON.parse((await ok(['account', 'get', '-o', 'json'], env)).stdout)).toMatchObject({ id: created.id, company: { name: 'Alice Lab' } });
    const member = (await ok(['member', 'get', ALICE], env)).stdout;
    expect(member).toMatch(new RegExp(`^${ALICE}\\s+\\S+\\s+yes\\s`, 'm'));
    const other = await cp.run(['account', 'leave', 'alice-co', '-y'], { env });
    expect([other.code, other.stderr.split('\n')[0]]).toEqual([2, `error: account alice-co is not the one context "alice" acts in (${created.id})`]);
    const last = await cp.run(['account', 'leave', '-y'], { env });
    expect(last.code).toBe(1);
    expect(last.stderr).toMatch(/last Owner .* \(FAILED_PRECONDITION\)\n$/);
  });
});
