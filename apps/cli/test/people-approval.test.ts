// Sign-up and approval through qhc against the real control plane: instance administrators (the
// first account's Owner key) list the requests, approve one, reject another with a reason; the
// rejected account sees why and cannot create a region; an approved one can; only administrators decide.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-node';
import { qhcV1 } from '@qhc/cloud-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealControlPlane, type ControlPlane } from './control-plane.ts';

let cp: ControlPlane;
const PASSWORD = 'correct horse battery staple';
const accounts: Record<string, string> = {};
beforeAll(async () => {
  cp = await startRealControlPlane();
  const access = createClient(qhcV1.AccountAccessService, createConnectTransport({ baseUrl: cp.url, httpVersion: '1.1' }));
  for (const who of ['bob', 'carol']) {
    const email = `${who}@example.test`;
    const signedUp = await access.signUp({
      email,
      password: PASSWORD,
      accountName: `${who}-co`,
      company: { name: `${who} Co` },
      billingInformation: { companyName: `${who} Co`, billingEmail: email, country: 'NL' },
    });
    accounts[who] = signedUp.accountId;
  }
});
afterAll(() => cp?.stop());

const ok = async (args: string[], env?: Record<string, string | undefined>) => {
  const run = await cp.run(args, env ? { env } : {});
  expect(run.code, `qhc ${args.join(' ')}\n${run.stderr}\n${cp.log().slice(-2000)}`).toBe(0);
  return run;
};

/** `qhc login --email` into a config folder of its own; the environment then names no key. */
async function signIn(who: string): Promise<Record<string, string | undefined>> {
  const env = { XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), `qhc-${who}-`)), QHC_URL: undefined, QHC_MANAGEMENT_KEY: undefined, QHC_ACCOUNT_ID: undefined };
  await ok(['login', cp.url, '--email', `${who}@example.test`, '--name', who], { ...env, QHC_PASSWORD: PASSWORD });
  return env;
}

describe('qhc account requests, approve, reject', () => {
  it('lists the pending requests with their company and owner', async () => {
    const table = (await ok(['account', 'requests', '--status', 'pending'])).stdout.split('\n');
    expect(table[0]).toMatch(/^ACCOUNT\s+NAME\s+OWNER\s+COMPANY\s+STATUS\s+REQUESTED$/);
    for (const who of ['bob', 'carol'])
      expect(table.find((l) => l.startsWith(accounts[who]!))).toMatch(new RegExp(`^\\S+\\s+${who}-co\\s+${who}@example\\.test\\s+${who} Co\\s+PENDING\\s`));
    const listed = JSON.parse((await ok(['account', 'requests', '-o', 'json'])).stdout) as { items: Array<{ access: { accountId: string } }> };
    expect(listed.items.map((r) => r.access.accountId)).toEqual(expect.arrayContaining([accounts.bob, accounts.carol]));
  });

  it('an account Owner who is not an instance administrator cannot decide', async () => {
    const bob = await signIn('bob');
    const refused = await cp.run(['account', 'approve', accounts.carol!], { env: bob });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: not allowed: .* \(PERMISSION_DENIED\)\n/);
  });

  it('approves one and rejects the other with a reason: the rejected one sees why and cannot create a region', async () => {
    const approved = JSON.parse((await ok(['account', 'approve', accounts.bob!, '-o', 'json'])).stdout) as { access: { status: string } };
    expect(approved.access.status).toBe('ACCOUNT_STATUS_APPROVED');
    const rejected = (await ok(['account', 'reject', accounts.carol!, '--reason', 'no VAT id'])).stdout;
    expect(rejected).toMatch(new RegExp(`^${accounts.carol}\\s+carol-co\\s+carol@example\\.test\\s+carol Co\\s+REJECTED\\s`, 'm'));
    const carol = await signIn('carol');
    const access = (await ok(['account', 'access'], carol)).stdout;
    expect(access).toMatch(new RegExp(`^${accounts.carol}\\s+REJECTED\\s+no VAT id\\s`, 'm'));
    const refused = await cp.run(['region', 'create', 'carol-region', '--namespace', 'qdrant'], { env: carol });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('was rejected: no VAT id (FAILED_PRECONDITION)');
    const bob = await signIn('bob');
    expect((await ok(['region', 'create', 'bob-region', '--namespace', 'qdrant'], bob)).code).toBe(0);
    const remaining = await cp.run(['account', 'requests', '--status', 'pending']);
    expect([remaining.code, remaining.stdout, remaining.stderr]).toEqual([0, '', 'No requests found.\n']);
  });

  it('the Owner of a rejected account deletes it, by name', async () => {
    const carol = await signIn('carol');
    expect((await ok(['account', 'delete', 'carol-co', '-y'], carol)).stderr).toBe('account carol-co deleted\n');
    const listed = JSON.parse((await ok(['account', 'requests', '-o', 'json'])).stdout) as { items: Array<{ access: { accountId: string } }> };
    expect(listed.items.map((r) => r.access.accountId)).not.toContain(accounts.carol);
  });
});
