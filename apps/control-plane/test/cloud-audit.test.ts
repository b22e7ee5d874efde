// The audit trail end to end, on SQLite and PostgreSQL: a sequence of Cloud API changes by two
// management keys (gRPC and REST) leaves exactly one event per change, with the right actor,
// object, before/after summaries and the socket's address; reads and refused calls leave none,
// and no secret the calls handled is in any column.
import { create } from '@bufbuild/protobuf';
import { hybridV1 } from '@qhc/cloud-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditClients, auditRows, keyIdOf, restCall, type AuditClients, type AuditRow } from './support/audit.ts';
import { cloudPlane, failure, MANAGEMENT_KEY, type CloudPlane, type Dialect } from './support/cloud.ts';

interface Story {
  key2: string;
  key1Id: string;
  key2Id: string;
  envId: string;
  secrets: string[];
}

const tick = (plane: CloudPlane) => (plane.clock.now += 1000);

/** Changes by key 1 and key 2, with reads and a refused call between them; answers what they made. */
async function tellStory(plane: CloudPlane, c: AuditClients): Promise<Story> {
  const accountId = plane.cp.accountId;
  const created = await c.auth.createManagementKey({ managementKey: { accountId } }, { headers: plane.auth() });
  const key2 = created.managementKey!.key;
  tick(plane);
  const env = create(hybridV1.HybridCloudEnvironmentSchema, { accountId, name: 'audited', configuration: { namespace: 'audited' } });
  const made = (await c.hybrid.createHybridCloudEnvironment({ hybridCloudEnvironment: env }, { headers: plane.auth(key2) })).hybridCloudEnvironment!;
  tick(plane);
  // Refused (the name is taken) and reads: no event.
  await failure(c.hybrid.createHybridCloudEnvironment({ hybridCloudEnvironment: env }, { headers: plane.auth(key2) }));
  await c.hybrid.listHybridCloudEnvironments({ accountId }, { headers: plane.auth(key2) });
  await c.auth.listManagementKeys({ accountId }, { headers: plane.auth() });
  const renamed = { ...made, name: 'audited-renamed' };
  await c.hybrid.updateHybridCloudEnvironment({ hybridCloudEnvironment: renamed, updateMask: { paths: ['name'] } }, { headers: plane.auth() });
  tick(plane);
  const commands = await c.hybrid.generateBootstrapCommands({ accountId, hybridCloudEnvironmentId: made.id }, { headers: plane.auth(key2) });
  tick(plane);
  // Over REST, claiming another address: the socket's is recorded.
  const path = `/api/hybrid/v1/accounts/${accountId}/hybrid-cloud-environments/${made.id}`;
  expect((await restCall(plane, 'DELETE', path, MANAGEMENT_KEY, { 'x-forwarded-for': '203.0.113.9' })).status).toBe(200);
  tick(plane);
  await c.auth.deleteManagementKey({ accountId, managementKeyId: created.managementKey!.id }, { headers: plane.auth() });
  const secrets = [MANAGEMENT_KEY, key2, commands.accessKey, ...commands.commands.flatMap((cmd) => cmd.match(/qhc_[a-z]_[A-Za-z0-9_-]+/g) ?? [])];
  return { key2, key1Id: await keyIdOf(plane, MANAGEMENT_KEY), key2Id: created.managementKey!.id, envId: made.id, secrets };
}

const HYBRID = 'qdrant.cloud.hybrid.v1.HybridCloudService';
const AUTH = 'qdrant.cloud.auth.v1.AuthService';

describe.each(['sqlite', 'postgres'] as const)('the audit trail of Cloud API changes on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect);
  let story: Story;
  let rows: AuditRow[];
  beforeAll(async () => {
    story = await tellStory(plane, auditClients(plane));
    rows = await auditRows(plane);
  });

  it('records each change exactly once, in order, with its actor and object', () => {
    const { key1Id, key2Id, envId, key2 } = story;
    const key1 = [plane.cp.accountId, 'management_key', key1Id, MANAGEMENT_KEY.slice(0, 12)];
    const key2Actor = [plane.cp.accountId, 'management_key', key2Id, key2.slice(0, 12)];
    expect(rows.map((r) => [r.account_id, r.actor_kind, r.actor_id, r.actor_label, r.method, r.object_type, r.object_id, r.remote_address])).toEqual([
      [...key1, `${AUTH}/CreateManagementKey`, 'management_key', key2Id, '127.0.0.1'],
      [...key2Actor, `${HYBRID}/CreateHybridCloudEnvironment`, 'hybrid_cloud_environment', envId, '127.0.0.1'],
      [...key1, `${HYBRID}/UpdateHybridCloudEnvironment`, 'hybrid_cloud_environment', envId, '127.0.0.1'],
      [...key2Actor, `${HYBRID}/GenerateBootstrapCommands`, 'hybrid_cloud_environment', envId, '127.0.0.1'],
      [...key1, `${HYBRID}/DeleteHybridCloudEnvironment`, 'hybrid_cloud_environment', envId, '127.0.0.1'],
      [...key1, `${AUTH}/DeleteManagementKey`, 'management_key', key2Id, '127.0.0.1'],
    ]);
    expect(rows.map((r) => r.occurred_at)).toEqual([0, 1, 2, 3, 4, 5].map((s) => new Date(Date.parse('2026-01-01T00:00:00Z') + s * 1000).toISOString()));
  });

  it('keeps the object before an update or delete (its Get) and after a create or update (the answer)', () => {
    const [createKey, createEnv, update, , remove, deleteKey] = rows;
    expect(createKey!.before_summary).toBeNull();
    expect(JSON.parse(createKey!.after_summary!)).toMatchObject({ id: story.key2Id, key: '[redacted]' });
    expect(JSON.parse(createEnv!.after_summary!)).toMatchObject({ id: story.envId, name: 'audited' });
    expect(JSON.parse(update!.before_summary!)).toMatchObject({ id: story.envId, name: 'audited' });
    expect(JSON.parse(update!.after_summary!)).toMatchObject({ id: story.envId, name: 'audited-renamed' });
    expect(JSON.parse(remove!.before_summary!)).toMatchObject({ id: story.envId, name: 'audited-renamed' });
    expect(remove!.after_summary).toBeNull();
    // Keys have no Get: nothing before; a delete answers nothing after.
    expect([deleteKey!.before_summary, deleteKey!.after_summary]).toEqual([null, null]);
  });

  it('holds no secret the calls handled, in any column', () => {
    expect(story.secrets.length).toBeGreaterThanOrEqual(4);
    const stored = JSON.stringify(rows);
    for (const secret of story.secrets) expect(stored.includes(secret), secret.slice(0, 8)).toBe(false);
    expect(JSON.parse(rows[3]!.after_summary!)).toMatchObject({ commands: '[redacted]', accessKey: '[redacted]' });
  });
});
