// input-bounds.test.ts on the Cloud API: every input is bounded before anything is stored. URLs
// that reach the installation script refuse shell syntax, registry credentials are one line,
// operator settings nested past the limit and a message past the size limit are refused at once
// (InvalidArgument naming the field, ResourceExhausted for the size), and nothing is written.
import { Code } from '@connectrpc/connect';
import type { JsonObject } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { READ_MAX_BYTES } from '../src/cloud/transport.ts';
import { cloudPlane, failure, type CloudPlane } from './support/cloud.ts';
import { codeOf, createEnvironment, grpcHybridClient, hybridDigest, messageOf, type ConfigurationInit } from './support/hybrid.ts';
import { qhcClients } from './support/qhc.ts';

const CONFIG = 'hybrid_cloud_environment.configuration';

/** An update of the environment's `field` (its proto name) to `value`, masked to it. */
function update(plane: CloudPlane, env: { id: string; name: string }, field: string, configuration: ConfigurationInit) {
  const hybridCloudEnvironment = { accountId: plane.cp.accountId, id: env.id, name: env.name, configuration: { namespace: 'qhc', ...configuration } };
  return grpcHybridClient(plane).updateHybridCloudEnvironment(
    { hybridCloudEnvironment, updateMask: { paths: [`configuration.${field}`] } },
    { headers: plane.auth() },
  );
}

/** `{ x: [[[…]]] }`, `depth` lists deep. */
function nested(depth: number): JsonObject {
  let value: JsonObject[string] = [];
  for (let i = 1; i < depth; i++) value = [value];
  return { x: value };
}

describe('environment URLs and settings over gRPC', () => {
  const plane = cloudPlane('sqlite');

  it.each([
    ['container_registry_url', { containerRegistryUrl: 'https://registry.example.com/$(id)/' }],
    ['container_registry_url', { containerRegistryUrl: 'https://registry.example.com/`id`/' }],
    ['chart_repository_url', { chartRepositoryUrl: 'oci://registry.example.com/"charts"' }],
    ['https_proxy_url', { httpsProxyUrl: "http://proxy:3128/'$(id)'" }],
    ['http_proxy_url', { httpProxyUrl: 'http://proxy:3128/;reboot' }],
  ] as const)('refuses %s with shell syntax: InvalidArgument naming it, nothing written', async (field, configuration) => {
    const env = await createEnvironment(plane, grpcHybridClient(plane));
    const before = await hybridDigest(plane);
    const refused = await failure(update(plane, env, field, configuration));
    expect([codeOf(refused), messageOf(refused)]).toEqual([Code.InvalidArgument, expect.stringContaining(`${CONFIG}.${field}`)]);
    expect(await hybridDigest(plane)).toEqual(before);
  });

  it('refuses operator settings nested past the limit quickly, saying so, nothing written', async () => {
    const env = await createEnvironment(plane, grpcHybridClient(plane));
    const before = await hybridDigest(plane);
    const refused = await failure(update(plane, env, 'advanced_operator_settings', { advancedOperatorSettings: nested(100) }));
    // Refused by the wire scan before the message is decoded (no timing asserted: the scan's bound is the proof).
    expect(codeOf(refused)).toBe(Code.InvalidArgument);
    expect(messageOf(refused)).toMatch(/advanced_operator_settings.*nests messages more than \d+ levels deep/);
    expect(await hybridDigest(plane)).toEqual(before);
  });

  it('refuses a message larger than the limit before parsing it: ResourceExhausted, nothing written', async () => {
    const env = await createEnvironment(plane, grpcHybridClient(plane));
    const before = await hybridDigest(plane);
    const refused = await failure(update(plane, env, 'ca_certificates', { caCertificates: 'x'.repeat(READ_MAX_BYTES + 1) }));
    expect(codeOf(refused)).toBe(Code.ResourceExhausted);
    expect(await hybridDigest(plane)).toEqual(before);
  });

  it('refuses registry credentials with a control character or too long, naming the field', async () => {
    const env = await createEnvironment(plane, grpcHybridClient(plane));
    const ids = { accountId: plane.cp.accountId, hybridCloudEnvironmentId: env.id };
    const before = await hybridDigest(plane);
    const cases: Array<[{ username: string; password: string }, RegExp]> = [
      [{ username: 'u\u0000', password: 'p' }, /^username: /],
      [{ username: 'u', password: 'p\u0000q' }, /^password: /],
      [{ username: 'u', password: 'p'.repeat(100_000) }, /^password: /],
    ];
    for (const [fields, message] of cases) {
      const refused = await failure(qhcClients(plane).environments.setRegistryCredentials({ ...ids, ...fields }, { headers: plane.auth() }));
      expect([codeOf(refused), messageOf(refused)]).toEqual([Code.InvalidArgument, expect.stringMatching(message)]);
    }
    expect(await hybridDigest(plane)).toEqual(before);
  });
});
