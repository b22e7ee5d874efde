// Exact echo: any valid key request comes back, in Create's answer and in List, byte for byte as
// sent once the server's fields (id, created_at, postfix, key) are cleared.
import { create, toBinary, type MessageInitShape } from '@bufbuild/protobuf';
import { databaseApiKeyV2 } from '@qhc/cloud-api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cloudPlane } from './support/cloud.ts';
import { grpcKeyClient, keyWorld } from './support/database-api-keys.ts';

const { DatabaseApiKeySchema } = databaseApiKeyV2;
type Sent = MessageInitShape<typeof DatabaseApiKeySchema>;

const NAME_CHARS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-'];
const name = fc.array(fc.constantFrom(...NAME_CHARS), { minLength: 4, maxLength: 128 }).map((chars) => chars.join(''));
/** No rule (full access), or one global rule: READ_ONLY (1) or MANAGE (2). */
const rules = fc
  .constantFrom<number[]>([], [1], [2])
  .map((types) =>
    types.map((accessType) => ({ scope: { case: 'globalAccess' as const, value: { accessType: accessType as databaseApiKeyV2.GlobalAccessRuleAccessType } } })),
  );
const expiry = fc.option(fc.record({ afterMs: fc.integer({ min: 1000, max: 10 * 365 * 86_400_000 }), nanos: fc.integer({ min: 0, max: 999_999_999 }) }), {
  nil: undefined,
});

const bytes = (message: Sent) => toBinary(DatabaseApiKeySchema, create(DatabaseApiKeySchema, message));
const clearServerFields = (key: databaseApiKeyV2.DatabaseApiKey): Sent => ({ ...key, id: '', createdAt: undefined, postfix: '', key: '' });

describe('database API keys: exact echo', () => {
  const plane = cloudPlane('sqlite');

  it('answers every valid request as sent (seeded property)', async () => {
    const client = grpcKeyClient(plane);
    const world = await keyWorld(plane, 'echo');
    const headers = plane.auth();
    const accountId = plane.cp.accountId;
    await fc.assert(
      fc.asyncProperty(name, rules, expiry, async (keyName, accessRules, expires) => {
        const seconds = expires ? BigInt(Math.floor((plane.clock.now + expires.afterMs) / 1000)) : undefined;
        const sent: Sent = {
          accountId,
          clusterId: world.clusterId,
          name: keyName,
          accessRules,
          ...(expires ? { expiresAt: { seconds, nanos: expires.nanos } } : {}),
        };
        const created = (await client.createDatabaseApiKey({ databaseApiKey: sent }, { headers })).databaseApiKey!;
        const listed = (await client.listDatabaseApiKeys({ accountId, clusterId: world.clusterId }, { headers })).items.find((k) => k.id === created.id)!;
        await client.deleteDatabaseApiKey({ accountId, clusterId: world.clusterId, databaseApiKeyId: created.id }, { headers });
        expect(bytes(clearServerFields(created))).toEqual(bytes(sent));
        expect(bytes(clearServerFields(listed))).toEqual(bytes(sent));
      }),
      { seed: 21, numRuns: 200 },
    );
  }, 120_000);
});
