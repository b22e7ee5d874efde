// The account and people verbs' own checks, before anything is sent: a control plane that is not
// there is never reached when the flags are wrong.
import { describe, expect, it } from 'vitest';
import { fullMethodName, timeOf } from '../src/commands/audit-cloud.ts';
import { cloudEnv, qhc } from './support.ts';

// Nothing listens on port 9 (discard): a call that got through would fail UNAVAILABLE, not as below.
const env = cloudEnv('http://127.0.0.1:9');

describe('usage errors of the account and people verbs', () => {
  it.each([
    [['member', 'invites', '--status', 'open'], 'error: --status "open": one of pending, accepted, rejected, canceled\n'],
    [['account', 'requests', '--status', 'waiting'], 'error: --status "waiting": one of pending, approved, rejected\n'],
    [['account', 'billing', 'set'], 'error: nothing to change\nhint: name a field: --company-name, --tax-id, --billing-email, --address-line1, …\n'],
    [['audit', 'list', '--since', 'yesterday'], 'error: --since "yesterday": a time (RFC 3339, e.g. 2026-12-01T00:00:00Z) or a duration ago (e.g. 2h, 7d)\n'],
    [['role', 'create', 'empty'], 'error: a role needs at least one --permission\nhint: see `qhc role permissions`\n'],
    [['account', 'update'], 'error: nothing to change\nhint: name one: --name, --company-name, --company-domain\n'],
    [['audit', 'list', '--limit', '0'], 'error: --limit: a whole number of items, at least 1 (got "0")\n'],
  ])('qhc %j', async (args, stderr) => {
    const run = await qhc(args, env);
    expect([run.code, run.stdout, run.stderr]).toEqual([2, '', stderr]);
  });

  it('commander refuses a missing argument or required option', async () => {
    const reject = await qhc(['account', 'reject', 'acc-1'], env);
    expect([reject.code, reject.stderr]).toEqual([1, "error: required option '--reason <text>' not specified\n"]);
    const invite = await qhc(['member', 'invite'], env);
    expect([invite.code, invite.stderr]).toEqual([1, "error: missing required argument 'email'\n"]);
  });

  it('account switch needs a saved context, not QHC_URL', async () => {
    const run = await qhc(['account', 'switch', 'acc-2'], env);
    expect([run.code, run.stderr.split('\n')[0]]).toEqual([
      2,
      'error: the control plane comes from QHC_URL, QHC_ACCOUNT_ID and QHC_MANAGEMENT_KEY: set QHC_ACCOUNT_ID instead',
    ]);
  });

  it('a user login needs a password from QHC_PASSWORD or stdin, never a flag', async () => {
    const run = await qhc(['login', 'http://127.0.0.1:9', '--email', 'a@example.test', '--password', 'x'], env);
    expect([run.code, run.stderr]).toEqual([1, "error: unknown option '--password'\n"]);
  });
});

describe('audit times', () => {
  it('an RFC 3339 time as it is, a duration back from now', () => {
    const now = Date.parse('2026-12-04T12:00:00Z');
    expect(timeOf('--since', '2026-12-01T00:00:00Z', now)).toBe(Date.parse('2026-12-01T00:00:00Z'));
    expect(timeOf('--since', '2h', now)).toBe(now - 7_200_000);
    expect(timeOf('--since', '7d', now)).toBe(now - 7 * 86_400_000);
    expect(() => timeOf('--until', '7 days', now)).toThrow('--until "7 days"');
  });
});

describe('audit methods', () => {
  it('a method by its name alone is found among the Cloud API services; an unknown or ambiguous one is a usage error', () => {
    expect(fullMethodName('CreateRole')).toBe('qdrant.cloud.iam.v1.IAMService/CreateRole');
    expect(fullMethodName('createcluster')).toBe('qdrant.cloud.cluster.v1.ClusterService/CreateCluster');
    expect(fullMethodName('qhc.v1.SessionService/SignInWithPassword')).toBe('qhc.v1.SessionService/SignInWithPassword');
    expect(() => fullMethodName('MakeCoffee')).toThrow('--method "MakeCoffee": no Cloud API method has this name');
  });
});
