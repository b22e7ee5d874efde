// Refused database API key requests: each answers its code, names the field, and writes nothing.
import { randomUUID } from 'node:crypto';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { Code, type ConnectError } from '@connectrpc/connect';
import type { databaseApiKeyV2 } from '@qhc/cloud-api';
import { describe, expect, it } from 'vitest';
import { cloudPlane, failure, type CloudPlane } from './support/cloud.ts';
import { everyRow, foreignWorld, grpcKeyClient, keyRequest, keyWorld, type KeyFields } from './support/database-api-keys.ts';

const codeOf = (error: unknown) => (error as ConnectError).code;
const messageOf = (error: unknown) => (error as ConnectError).rawMessage;
const rule = (scope: databaseApiKeyV2.AccessRule['scope']) => [{ scope }] as databaseApiKeyV2.AccessRule[];
type Case = [string, () => Promise<unknown>, Code, RegExp];

async function expectRefused(plane: CloudPlane, cases: Case[]): Promise<void> {
  const before = await everyRow(plane);
  for (const [label, call, code, message] of cases) {
    const error = await failure(call());
    expect([label, codeOf(error)]).toEqual([label, code]);
    expect(messageOf(error), label).toMatch(message);
  }
  expect(await everyRow(plane)).toEqual(before);
}

describe('malformed database API key requests', () => {
  const plane = cloudPlane('sqlite');

  it('answers InvalidArgument naming the field, and writes nothing', async () => {
    const client = grpcKeyClient(plane);
    const world = await keyWorld(plane, 'malformed');
    const headers = plane.auth();
    const accountId = plane.cp.accountId;
    const createWith = (fields: KeyFields) => () => client.createDatabaseApiKey(keyRequest(plane, world.clusterId, fields), { headers });
    const cases: Case[] = [
      ['no cluster', createWith({ clusterId: '' }), Code.InvalidArgument, /^database_api_key\.cluster_id: missing$/],
      ['cluster not a UUID', createWith({ clusterId: 'c1' }), Code.InvalidArgument, /^database_api_key\.cluster_id: "c1" is not a UUID$/],
      ['short name', createWith({ name: 'ab' }), Code.InvalidArgument, /^database_api_key\.name: "ab" must be 4 to 128/],
      ['name with a slash', createWith({ name: 'a/b/c/d' }), Code.InvalidArgument, /^database_api_key\.name: /],
      ['long name', createWith({ name: 'n'.repeat(129) }), Code.InvalidArgument, /^database_api_key\.name: /],
      ['id set', createWith({ id: randomUUID() }), Code.InvalidArgument, /^database_api_key\.id: set by qhc; leave it empty$/],
      ['key set', createWith({ key: 'my-own-key' }), Code.InvalidArgument, /^database_api_key\.key: set by qhc/],
      ['postfix set', createWith({ postfix: 'abcd' }), Code.InvalidArgument, /^database_api_key\.postfix: set by qhc/],
      ['created_at set', createWith({ createdAt: timestampFromMs(0) }), Code.InvalidArgument, /^database_api_key\.created_at: set by qhc/],
      ['created_by_email set', createWith({ createdByEmail: 'a@b.c' }), Code.InvalidArgument, /^database_api_key\.created_by_email: set by qhc/],
      [
        'expired already',
        createWith({ expiresAt: timestampFromMs(plane.clock.now) }),
        Code.InvalidArgument,
        /^database_api_key\.expires_at: .* is not in the future$/,
      ],
      ['bad nanos', createWith({ expiresAt: { seconds: 4_000_000_000n, nanos: -1 } as never }), Code.InvalidArgument, /^database_api_key\.expires_at: nanos/],
      [
        'collection rule',
        createWith({ accessRules: rule({ case: 'collectionAccess', value: { collectionName: 'c', accessType: 1 } as never }) }),
        Code.InvalidArgument,
        /^database_api_key\.access_rules\[0\]\.collection_access: not supported by qhc: collection-scoped keys need Qdrant's JWT RBAC/,
      ],
      ['empty rule', createWith({ accessRules: rule({ case: undefined }) }), Code.InvalidArgument, /^database_api_key\.access_rules\[0\]: set global_access/],
      [
        'unspecified access',
        createWith({ accessRules: rule({ case: 'globalAccess', value: { accessType: 0 } as never }) }),
        Code.InvalidArgument,
        /^database_api_key\.access_rules\[0\]\.global_access\.access_type: must be/,
      ],
      [
        'two rules',
        createWith({
          accessRules: [
            ...rule({ case: 'globalAccess', value: { accessType: 1 } as never }),
            ...rule({ case: 'globalAccess', value: { accessType: 2 } as never }),
          ],
        }),
        Code.InvalidArgument,
        /^database_api_key\.access_rules\[1\]: at most one global access rule/,
      ],
      [
        'list: cluster not a UUID',
        () => client.listDatabaseApiKeys({ accountId, clusterId: 'x' }, { headers }),
        Code.InvalidArgument,
        /^cluster_id: "x" is not a UUID$/,
      ],
      [
        'delete: key not a UUID',
        () => client.deleteDatabaseApiKey({ accountId, clusterId: world.clusterId, databaseApiKeyId: 'k' }, { headers }),
        Code.InvalidArgument,
        /^database_api_key_id: "k" is not a UUID$/,
      ],
      [
        'delete: no cluster',
        () => client.deleteDatabaseApiKey({ accountId, databaseApiKeyId: randomUUID() }, { headers }),
        Code.InvalidArgument,
        /^cluster_id: missing$/,
      ],
    ];
    await expectRefused(plane, cases);
  });
});

describe('database API keys of clusters that cannot take them', () => {
  const plane = cloudPlane('sqlite');

  it("answers NotFound for unknown ids and another account's, FailedPrecondition before the agent connected", async () => {
    const client = grpcKeyClient(plane);
    const headers = plane.auth();
    const accountId = plane.cp.accountId;
    const world = await keyWorld(plane, 'mine');
    const foreign = await foreignWorld(plane, 'theirs');
    const offline = await keyWorld(plane, 'offline', { connected: false });
    const key = (await client.createDatabaseApiKey(keyRequest(plane, world.clusterId), { headers })).databaseApiKey!;
    const deleteKey = (clusterId: string, id: string) => () => client.deleteDatabaseApiKey({ accountId, clusterId, databaseApiKeyId: id }, { headers });
    const unknown = randomUUID();
    await expectRefused(plane, [
      [
        'unknown cluster',
        () => client.createDatabaseApiKey(keyRequest(plane, unknown), { headers }),
        Code.NotFound,
        new RegExp(`^cluster ${unknown} does not exist$`),
      ],
      ["another account's cluster", () => client.createDatabaseApiKey(keyRequest(plane, foreign.clusterId), { headers }), Code.NotFound, /does not exist$/],
      [
        "list another account's cluster",
        () => client.listDatabaseApiKeys({ accountId, clusterId: foreign.clusterId }, { headers }),
        Code.NotFound,
        /does not exist$/,
      ],
      ['unknown key', deleteKey(world.clusterId, unknown), Code.NotFound, /does not exist$/],
      ['key of another cluster', deleteKey(foreign.clusterId, key.id), Code.NotFound, /does not exist$/],
      [
        'agent not connected',
        () => client.createDatabaseApiKey(keyRequest(plane, offline.clusterId), { headers }),
        Code.FailedPrecondition,
        /^the region's agent has not connected yet/,
      ],
    ]);
  });

  it('counts a key set through /api/v1 as filling its slot', async () => {
    const client = grpcKeyClient(plane);
    const world = await keyWorld(plane, 'legacy');
    await plane.cp.store.updateCluster('legacy', 'legacy-c', { spec: (await plane.cp.store.cluster('legacy', 'legacy-c')).spec, apiKey: 'v1-key-0123456789' });
    await expectRefused(plane, [
      [
        'v1 key',
        () => client.createDatabaseApiKey(keyRequest(plane, world.clusterId), { headers: plane.auth() }),
        Code.FailedPrecondition,
        /set through \/api\/v1/,
      ],
    ]);
    await client.createDatabaseApiKey(keyRequest(plane, world.clusterId, { access: 'READ_ONLY' }), { headers: plane.auth() });
  });
});
