// The Cloud API's management keys over gRPC (HTTP/2 + TLS, as the Terraform provider calls):
// creation, listing without secrets, use, revocation on the next call, expiry, and refusals.
import { randomUUID } from 'node:crypto';
import { Code, type ConnectError } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import { createOwnerKey } from './support/keys.ts';
import { cloudPlane, failure, grpcAuthClient, MANAGEMENT_KEY, type Dialect } from './support/cloud.ts';

const codeOf = (error: unknown) => (error as ConnectError).code;
const messageOf = (error: unknown) => (error as ConnectError).rawMessage;

describe.each(['sqlite', 'postgres'] as const)('management keys over gRPC on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect);

  it('creates a key shown once, lists keys without secrets, and a deleted key fails on the next call', async () => {
    const client = grpcAuthClient(plane);
    const accountId = plane.cp.accountId;
    const created = await client.createManagementKey({ managementKey: { accountId } }, { headers: plane.auth() });
    const key = created.managementKey!;
    expect(key.key).toMatch(/^qhc_m_/);
    expect(key.prefix).toBe(key.key.slice(0, key.prefix.length));
    expect(key).toMatchObject({ accountId, id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(key.createdAt?.seconds).toBe(BigInt(plane.clock.now / 1000));

    const listed = await client.listManagementKeys({ accountId }, { headers: plane.auth(key.key) });
    expect(listed.items.map((k) => k.id)).toContain(key.id);
    expect(listed.items.every((k) => k.key === '')).toBe(true);
    expect(JSON.stringify(listed.items.map((k) => k.prefix))).not.toContain(key.key);

    await client.deleteManagementKey({ accountId, managementKeyId: key.id }, { headers: plane.auth(key.key) });
    const refused = await failure(client.listManagementKeys({ accountId }, { headers: plane.auth(key.key) }));
    expect([codeOf(refused), messageOf(refused)]).toEqual([Code.Unauthenticated, 'the management key was deleted']);
    const again = await failure(client.deleteManagementKey({ accountId, managementKeyId: key.id }, { headers: plane.auth() }));
    expect([codeOf(again), messageOf(again)]).toEqual([Code.NotFound, `management key ${key.id} does not exist`]);
  });

  it('refuses an expired key from the moment it expires', async () => {
    const client = grpcAuthClient(plane);
    const accountId = plane.cp.accountId;
    const expiresAt = new Date(plane.clock.now + 60_000).toISOString();
    const { key } = await createOwnerKey(plane.cp.store.db, { accountId, expiresAt, now: () => plane.clock.now });
    expect((await client.listManagementKeys({ accountId }, { headers: plane.auth(key) })).items.length).toBeGreaterThan(0);
    plane.clock.now += 60_000;
    try {
      const refused = await failure(client.listManagementKeys({ accountId }, { headers: plane.auth(key) }));
      expect([codeOf(refused), messageOf(refused)]).toEqual([Code.Unauthenticated, `the management key expired at ${expiresAt}`]);
    } finally {
      plane.clock.now -= 60_000;
    }
  });
});

describe.each(['sqlite', 'postgres'] as const)('refused gRPC calls on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect);

  it('answers Unauthenticated for a missing, malformed or unknown key, writing nothing', async () => {
    const client = grpcAuthClient(plane);
    const before = await plane.digest();
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{}, /^missing authorization/],
      [{ authorization: `Bearer ${MANAGEMENT_KEY}` }, /^malformed authorization: expected `apikey <management key>`, got the scheme "Bearer"$/],
      [{ authorization: 'apikey' }, /^malformed authorization/],
      // A key without its scheme is not echoed back.
      [{ authorization: MANAGEMENT_KEY }, /^malformed authorization: expected `apikey <management key>`, got no scheme$/],
      [{ authorization: 'apikey qhc_m_not-a-key' }, /^unknown management key$/],
    ];
    for (const [headers, message] of cases) {
      const error = await failure(client.createManagementKey({ managementKey: { accountId: plane.cp.accountId } }, { headers }));
      expect(codeOf(error)).toBe(Code.Unauthenticated);
      expect(messageOf(error)).toMatch(message);
    }
    expect(await plane.digest()).toEqual(before);
  });

  it('checks the account id every rpc names: missing or not a UUID is InvalidArgument, another account PermissionDenied', async () => {
    const client = grpcAuthClient(plane);
    const before = await plane.digest();
    const other = randomUUID();
    const cases: Array<[() => Promise<unknown>, Code, string]> = [
      [() => client.createManagementKey({}, { headers: plane.auth() }), Code.InvalidArgument, 'management_key.account_id: missing; the account id is required'],
      [() => client.listManagementKeys({ accountId: 'acme' }, { headers: plane.auth() }), Code.InvalidArgument, 'account_id: "acme" is not a UUID'],
      [
        () => client.createManagementKey({ managementKey: { accountId: other } }, { headers: plane.auth() }),
        Code.PermissionDenied,
        `management_key.account_id: the management key does not belong to account ${other}`,
      ],
      [
        () => client.deleteManagementKey({ accountId: other, managementKeyId: randomUUID() }, { headers: plane.auth() }),
        Code.PermissionDenied,
        `account_id: the management key does not belong to account ${other}`,
      ],
      [
        () => client.deleteManagementKey({ accountId: plane.cp.accountId, managementKeyId: 'k1' }, { headers: plane.auth() }),
        Code.InvalidArgument,
        'management_key_id: "k1" is not a UUID',
      ],
    ];
    for (const [call, code, message] of cases) {
      const error = await failure(call());
      expect([codeOf(error), messageOf(error)]).toEqual([code, message]);
    }
    expect(await plane.digest()).toEqual(before);
  });
});
