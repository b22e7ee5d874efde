// Exact echo: a configuration comes back exactly as it was sent (binary equal), on SQLite and
// PostgreSQL, whatever of it the client set, for 200 seeded random valid configurations.
import { create, toBinary } from '@bufbuild/protobuf';
import { hybridV1 } from '@qhc/cloud-api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cloudPlane, type Dialect } from './support/cloud.ts';
import { grpcHybridClient } from './support/hybrid.ts';
import { validConfiguration, validName } from './support/hybrid-arbitraries.ts';

const Schema = hybridV1.HybridCloudEnvironmentConfigurationSchema;
/** The configuration without what the server stamps on it. */
const asSent = (c: hybridV1.HybridCloudEnvironmentConfiguration | undefined) => toBinary(Schema, { ...c!, lastModifiedAt: undefined });

describe.each(['sqlite', 'postgres'] as const)('exact echo on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect);

  it('answers Create, Get and List with the configuration and name byte for byte as sent', async () => {
    const client = grpcHybridClient(plane);
    const accountId = plane.cp.accountId;
    const headers = plane.auth();
    let index = 0;
    const property = fc.asyncProperty(validConfiguration(plane.tls!.ca), validName, async (init, base) => {
      // Unique in the account: each run creates one more.
      const name = `${base}-${index++}`;
      const sent = create(Schema, init);
      const created = await client.createHybridCloudEnvironment({ hybridCloudEnvironment: { accountId, name, configuration: sent } }, { headers });
      const env = created.hybridCloudEnvironment!;
      const got = (await client.getHybridCloudEnvironment({ accountId, hybridCloudEnvironmentId: env.id }, { headers })).hybridCloudEnvironment!;
      expect(got.name).toBe(name);
      expect(asSent(env.configuration)).toEqual(toBinary(Schema, sent));
      expect(asSent(got.configuration)).toEqual(toBinary(Schema, sent));
    });
    await fc.assert(property, { seed: 21, numRuns: 200 });
    const listed = await client.listHybridCloudEnvironments({ accountId }, { headers });
    expect(listed.items).toHaveLength(200);
  });
});
