// Who reads the audit log: read:audit_log, held by the Owner and Admin roles only. A Viewer
// (which reads everything else) is refused, as a key and as a person's console session; an
// Admin gets the list either way. A person naming an account they are not a member of is told so.
import { randomUUID } from 'node:crypto';
import { Code, type ConnectError } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import { insertAuditEvent } from '../src/repositories/audit-events.ts';
import { addMember, insertUser } from '../src/repositories/users.ts';
import { roleId, sessionIn } from './support/accounts.ts';
import { auditClients } from './support/audit.ts';
import { cloudPlane, failure, type CloudPlane, type Dialect } from './support/cloud.ts';
import { keyWithRoles } from './support/roles.ts';

const DENIED = 'qhc.v1.AuditLogService/ListAuditEvents needs the permission read:audit_log';

/** One event of the plane's account, as the audit interceptor stores them. */
const anEvent = (plane: CloudPlane) =>
  insertAuditEvent(plane.cp.store.db, {
    account_id: plane.cp.accountId,
    occurred_at: new Date(plane.clock.now).toISOString(),
    actor_kind: 'user',
    actor_id: randomUUID(),
    actor_label: 'someone@example.com',
    method: 'qdrant.cloud.cluster.v1.ClusterService/CreateCluster',
    object_type: 'cluster',
    object_id: randomUUID(),
    before_summary: null,
    after_summary: '{}',
    remote_address: '127.0.0.1',
  });

/** A console session of a new member of the plane's account holding `role`. */
async function memberSession(plane: CloudPlane, role: string): Promise<Record<string, string>> {
  const db = plane.cp.store.db;
  const user = await insertUser(db, `${role.toLowerCase()}-${randomUUID()}@example.test`, null, () => plane.clock.now);
  await addMember(db, plane.cp.accountId, user.id, [await roleId(plane, plane.cp.accountId, role)], () => plane.clock.now);
  return sessionIn(plane, user.id, plane.cp.accountId);
}

const refusal = async (call: Promise<unknown>) => {
  const error = (await failure(call)) as ConnectError;
  return [error.code, error.rawMessage];
};

describe.each(['sqlite', 'postgres'] as const)('reading the audit log by role on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect);
  const list = (headers: Record<string, string>) => auditClients(plane).audit.listAuditEvents({ accountId: plane.cp.accountId }, { headers });

  it('refuses a Viewer key and a Viewer session PermissionDenied naming read:audit_log', async () => {
    await anEvent(plane);
    const viewerKey = await keyWithRoles(plane, [await roleId(plane, plane.cp.accountId, 'Viewer')]);
    expect(await refusal(list(plane.auth(viewerKey)))).toEqual([Code.PermissionDenied, DENIED]);
    expect(await refusal(list(await memberSession(plane, 'Viewer')))).toEqual([Code.PermissionDenied, DENIED]);
  });

  it('lists the events to an Admin key and an Admin session', async () => {
    const made = await anEvent(plane);
    const adminKey = await keyWithRoles(plane, [await roleId(plane, plane.cp.accountId, 'Admin')]);
    expect((await list(plane.auth(adminKey))).items.map((e) => e.id)).toContain(made.id);
    expect((await list(await memberSession(plane, 'Admin'))).items.map((e) => e.id)).toContain(made.id);
  });

  it("tells a person naming another account's id that they are not a member of it", async () => {
    const other = randomUUID();
    const answer = await refusal(auditClients(plane).audit.listAuditEvents({ accountId: other }, { headers: await memberSession(plane, 'Admin') }));
    expect(answer).toEqual([Code.PermissionDenied, `account_id: you are not a member of account ${other}`]);
  });
});
