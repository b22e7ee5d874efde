// AuditLogService.ListAuditEvents (filters, newest-first keyset pages, the caller's account
// only), the console's sign-in recorded, and --audit-retention's pruning by the control
// plane's clock, on SQLite and PostgreSQL.
import { randomUUID } from 'node:crypto';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { Code, createClient, type ConnectError } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { qhcV1 } from '@qhc/cloud-api';
import { describe, expect, it } from 'vitest';
import { insertAuditEvent } from '../src/repositories/audit-events.ts';
import { auditClients, auditRows } from './support/audit.ts';
import { cloudPlane, failure, MANAGEMENT_KEY, type CloudPlane, type Dialect } from './support/cloud.ts';

const DAY = 86_400_000;

/** An event of the plane's account (or `accountId`), `ageMs` before the plane's now. */
const event = (plane: CloudPlane, ageMs: number, fields: { accountId?: string; actorId?: string; objectType?: string; method?: string } = {}) =>
  insertAuditEvent(plane.cp.store.db, {
    account_id: fields.accountId ?? plane.cp.accountId,
    occurred_at: new Date(plane.clock.now - ageMs).toISOString(),
    actor_kind: 'user',
    actor_id: fields.actorId ?? randomUUID(),
    actor_label: 'someone@example.com',
    method: fields.method ?? 'qdrant.cloud.cluster.v1.ClusterService/CreateCluster',
    object_type: fields.objectType ?? 'cluster',
    object_id: randomUUID(),
    before_summary: null,
    after_summary: '{}',
    remote_address: '127.0.0.1',
  });

describe.each(['sqlite', 'postgres'] as const)('ListAuditEvents on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect);
  const list = (req: Record<string, unknown>) =>
    auditClients(plane).audit.listAuditEvents({ accountId: plane.cp.accountId, ...req }, { headers: plane.auth() });

  it('pages newest first, every event once, and filters by actor, object type, method and time', async () => {
    const actor = randomUUID();
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await event(plane, (i % 3) * 1000, { actorId: actor, objectType: i % 2 ? 'backup' : 'cluster' }));
    await event(plane, 0, { accountId: randomUUID(), actorId: actor });
    const seen: string[] = [];
    let token = '';
    do {
      const page = await list({ actor, pageSize: 2, pageToken: token });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((e) => e.id));
      token = page.nextPageToken;
    } while (token);
    const newestFirst = made.toSorted((a, b) => (a.occurred_at === b.occurred_at ? (a.id < b.id ? 1 : -1) : a.occurred_at < b.occurred_at ? 1 : -1));
    expect(seen).toEqual(newestFirst.map((e) => e.id));
    expect((await list({ actor, objectType: 'backup' })).items.map((e) => e.objectType)).toEqual(['backup', 'backup']);
    const since = await list({ actor, since: timestampFromMs(plane.clock.now - 1000), until: timestampFromMs(plane.clock.now) });
    expect(since.items.map((e) => e.id).toSorted()).toEqual(
      made
        .filter((_, i) => i % 3 === 1)
        .map((e) => e.id)
        .toSorted(),
    );
    expect((await list({ actor, method: 'qhc.v1.Nothing/Else' })).items).toEqual([]);
    const [first] = (await list({ actor, pageSize: 1 })).items;
    expect(first).toMatchObject({
      accountId: plane.cp.accountId,
      actor: { id: actor, email: 'someone@example.com', keyPrefix: '' },
      remoteAddress: '127.0.0.1',
    });
  });

  it('refuses a page token it did not make, and another account', async () => {
    const bad = await failure(list({ pageToken: 'not-a-token' }));
    expect((bad as ConnectError).code).toBe(Code.InvalidArgument);
    const other = await failure(list({ accountId: randomUUID() }));
    expect((other as ConnectError).code).toBe(Code.PermissionDenied);
  });

  it("records a console sign-in with a management key, the session's CSRF token redacted", async () => {
    const transport = createGrpcTransport({ baseUrl: plane.cp.url, nodeOptions: { ca: plane.tls!.ca } });
    const signedIn = await createClient(qhcV1.SessionService, transport).createSession({ managementKey: MANAGEMENT_KEY });
    const rows = (await auditRows(plane)).filter((r) => r.method === 'qhc.v1.SessionService/CreateSession');
    expect(rows.map((r) => [r.actor_kind, r.actor_id, r.actor_label, r.object_type, r.object_id])).toEqual([
      ['management_key', signedIn.session!.managementKeyId, MANAGEMENT_KEY.slice(0, 12), 'session', signedIn.session!.managementKeyId],
    ]);
    expect(JSON.stringify(rows)).not.toContain(signedIn.session!.csrfToken);
    expect(JSON.parse(rows[0]!.after_summary!)).toMatchObject({ session: { csrfToken: '[redacted]' } });
  });

  it('records a sign-out with the session before it (its Get, asked with the same cookie)', async () => {
    const sessions = createClient(qhcV1.SessionService, createGrpcTransport({ baseUrl: plane.cp.url, nodeOptions: { ca: plane.tls!.ca } }));
    let cookie = '';
    const signedIn = await sessions.createSession({ managementKey: MANAGEMENT_KEY }, { onHeader: (h) => (cookie = h.get('set-cookie')!.split(';')[0]!) });
    plane.clock.now += 1000;
    await sessions.deleteSession({}, { headers: { cookie, 'x-csrf-token': signedIn.session!.csrfToken } });
    const [signOut] = (await auditRows(plane)).filter((r) => r.method === 'qhc.v1.SessionService/DeleteSession');
    expect(signOut).toMatchObject({ actor_kind: 'management_key', account_id: plane.cp.accountId, after_summary: null });
    expect(JSON.parse(signOut!.before_summary!)).toMatchObject({ accountId: plane.cp.accountId, csrfToken: '[redacted]' });
    expect(JSON.stringify(signOut)).not.toContain(cookie.split('=')[1]!);
  });
});

describe.each(['sqlite', 'postgres'] as const)('--audit-retention on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { auditRetentionSeconds: 90 * 86_400 });

  it('deletes only the events older than the retention, by the control plane clock', async () => {
    const kept = [await event(plane, 0), await event(plane, 89 * DAY), await event(plane, 90 * DAY - 1000)];
    const old = await event(plane, 91 * DAY);
    expect(await plane.cp.pruneAuditEvents()).toBe(1);
    const ids = async () => (await auditRows(plane)).map((r) => r.id).toSorted();
    expect(await ids()).toEqual(kept.map((e) => e.id).toSorted());
    expect(await ids()).not.toContain(old.id);
    // A day later the one at 89.99 days is past 90 days; the one at 89 days is not yet.
    plane.clock.now += DAY;
    expect(await plane.cp.pruneAuditEvents()).toBe(1);
    expect(await ids()).toEqual([kept[0]!.id, kept[1]!.id].toSorted());
  });
});
