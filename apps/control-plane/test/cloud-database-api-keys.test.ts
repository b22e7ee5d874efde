// The Cloud API's database API keys over gRPC: a key is answered once, listed without its secret,
// carried in the region's desired state only sealed for the agent, and leaves it when deleted or
// expired. The database never holds the key in any form.
import { create, toBinary } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { Code, type ConnectError } from '@connectrpc/connect';
import { databaseApiKeyV2 } from '@qhc/cloud-api';
import { openSealed, sealedKeyContext } from '@qhc/schemas/sealing';
import { describe, expect, it } from 'vitest';
import { cloudPlane, failure, type CloudPlane, type Dialect } from './support/cloud.ts';
import { everyRow, grpcKeyClient, keyRequest, keyWorld, type KeyWorld } from './support/database-api-keys.ts';

const codeOf = (error: unknown) => (error as ConnectError).code;
const messageOf = (error: unknown) => (error as ConnectError).rawMessage;

/** The keys the agent would open from the region's desired state, by slot. */
async function openedKeys(plane: CloudPlane, world: KeyWorld): Promise<Record<string, string | undefined> | undefined> {
  const state = await plane.cp.store.desiredState(world.regionId);
  const cluster = state.clusters.find((c) => c.id === world.objectId)!;
  if (!cluster.databaseApiKeys) return undefined;
  const entries = cluster.databaseApiKeys.map((k) => [k.slot, openSealed(world.agent.privateKeyPem, k.sealed, sealedKeyContext(world.objectId, k.id))]);
  return Object.fromEntries(entries);
}

describe.each(['sqlite', 'postgres'] as const)('database API keys on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect);

  it('answers the key once, lists it without its secret, seals it for the agent, and drops it on delete', async () => {
    const client = grpcKeyClient(plane);
    const world = await keyWorld(plane, 'life');
    const revision = (await plane.cp.store.revision(world.regionId))!;
    const sent = keyRequest(plane, world.clusterId, { name: 'reader one', access: 'READ_ONLY', expiresAt: timestampFromMs(plane.clock.now + 86_400_000) });
    const created = (await client.createDatabaseApiKey(sent, { headers: plane.auth() })).databaseApiKey!;
    expect(created.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.postfix).toBe(created.key.slice(-4));
    expect(created).toMatchObject({ accountId: plane.cp.accountId, clusterId: world.clusterId, id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(created.createdAt?.seconds).toBe(BigInt(plane.clock.now / 1000));
    // Exact echo: the client's fields come back as sent.
    const echo = create(databaseApiKeyV2.DatabaseApiKeySchema, { ...created, id: '', createdAt: undefined, postfix: '', key: '' });
    expect(toBinary(databaseApiKeyV2.DatabaseApiKeySchema, echo)).toEqual(
      toBinary(databaseApiKeyV2.DatabaseApiKeySchema, create(databaseApiKeyV2.DatabaseApiKeySchema, sent.databaseApiKey)),
    );

    const listed = await client.listDatabaseApiKeys({ accountId: plane.cp.accountId, clusterId: world.clusterId }, { headers: plane.auth() });
    expect(listed.items).toEqual([{ ...created, key: '' }]);
    expect(await plane.cp.store.revision(world.regionId)).toBe(revision + 1);
    expect(await openedKeys(plane, world)).toEqual({ readOnly: created.key });

    await client.deleteDatabaseApiKey({ accountId: plane.cp.accountId, clusterId: world.clusterId, databaseApiKeyId: created.id }, { headers: plane.auth() });
    expect(await plane.cp.store.revision(world.regionId)).toBe(revision + 2);
    // Still managed by keys (an empty list), so the agent keeps the database locked.
    expect(await openedKeys(plane, world)).toEqual({});
    expect((await client.listDatabaseApiKeys({ accountId: plane.cp.accountId }, { headers: plane.auth() })).items.map((k) => k.id)).not.toContain(created.id);
    const again = await failure(
      client.deleteDatabaseApiKey({ accountId: plane.cp.accountId, clusterId: world.clusterId, databaseApiKeyId: created.id }, { headers: plane.auth() }),
    );
    expect(codeOf(again)).toBe(Code.NotFound);
  });

  it('keeps no plaintext: no row of any table holds the key, raw, base64 or hex', async () => {
    const client = grpcKeyClient(plane);
    const world = await keyWorld(plane, 'plain');
    const { key } = (await client.createDatabaseApiKey(keyRequest(plane, world.clusterId), { headers: plane.auth() })).databaseApiKey!;
    const bytes = Buffer.from(key, 'base64url');
    const forms = [key, bytes.toString('base64'), bytes.toString('hex'), Buffer.from(key).toString('base64'), Buffer.from(key).toString('hex')];
    const dump = JSON.stringify(await everyRow(plane));
    expect(dump).toContain(world.clusterId);
    for (const form of forms) expect(dump.toLowerCase()).not.toContain(form.toLowerCase());
    expect(await openedKeys(plane, world)).toEqual({ readWrite: key });
  });
});

describe('slots and expiry', () => {
  const plane = cloudPlane('sqlite');

  it('takes one live key per slot and names the key holding it', async () => {
    const client = grpcKeyClient(plane);
    const world = await keyWorld(plane, 'slots');
    const headers = plane.auth();
    const writer = (await client.createDatabaseApiKey(keyRequest(plane, world.clusterId, { access: 'MANAGE' }), { headers })).databaseApiKey!;
    const reader = (await client.createDatabaseApiKey(keyRequest(plane, world.clusterId, { access: 'READ_ONLY' }), { headers })).databaseApiKey!;
    expect(await openedKeys(plane, world)).toEqual({ readWrite: writer.key, readOnly: reader.key });
    const before = await everyRow(plane);
    const second = await failure(client.createDatabaseApiKey(keyRequest(plane, world.clusterId), { headers }));
    expect([codeOf(second), messageOf(second)]).toEqual([
      Code.FailedPrecondition,
      `Qdrant accepts one read-write key per cluster; delete key ${writer.id} first`,
    ]);
    const third = await failure(client.createDatabaseApiKey(keyRequest(plane, world.clusterId, { access: 'READ_ONLY' }), { headers }));
    expect([codeOf(third), messageOf(third)]).toEqual([Code.FailedPrecondition, `Qdrant accepts one read-only key per cluster; delete key ${reader.id} first`]);
    expect(await everyRow(plane)).toEqual(before);
    await client.deleteDatabaseApiKey({ accountId: plane.cp.accountId, clusterId: world.clusterId, databaseApiKeyId: writer.id }, { headers });
    const next = (await client.createDatabaseApiKey(keyRequest(plane, world.clusterId), { headers })).databaseApiKey!;
    expect(await openedKeys(plane, world)).toEqual({ readWrite: next.key, readOnly: reader.key });
  });

  it('drops an expired key from the desired state at its expiry (the injected clock), moving the revision', async () => {
    const client = grpcKeyClient(plane);
    const world = await keyWorld(plane, 'expiry');
    const headers = plane.auth();
    const request = keyRequest(plane, world.clusterId, { expiresAt: timestampFromMs(plane.clock.now + 60_000) });
    const key = (await client.createDatabaseApiKey(request, { headers })).databaseApiKey!;
    const revision = (await plane.cp.store.revision(world.regionId))!;
    expect(await openedKeys(plane, world)).toEqual({ readWrite: key.key });
    plane.clock.now += 59_999;
    expect(await plane.cp.store.revision(world.regionId)).toBe(revision);
    plane.clock.now += 1;
    expect(await openedKeys(plane, world)).toEqual({});
    expect(await plane.cp.store.revision(world.regionId)).toBe(revision + 1);
    expect(await plane.cp.store.revision(world.regionId)).toBe(revision + 1);
    // Listed until deleted; its slot is free for a new key.
    expect((await client.listDatabaseApiKeys({ accountId: plane.cp.accountId, clusterId: world.clusterId }, { headers })).items.map((k) => k.id)).toEqual([
      key.id,
    ]);
    const next = (await client.createDatabaseApiKey(keyRequest(plane, world.clusterId), { headers })).databaseApiKey!;
    expect(await openedKeys(plane, world)).toEqual({ readWrite: next.key });
  });
});
