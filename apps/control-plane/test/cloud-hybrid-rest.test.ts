// HybridCloudService through the REST gateway (proto JSON): create with a Struct, update with
// a field mask in its JSON form (camelCase paths), read back as sent.
import { describe, expect, it } from 'vitest';
import { cloudPlane } from './support/cloud.ts';
import { callApi } from './support/http.ts';

describe('HybridCloudService over REST', () => {
  const plane = cloudPlane('sqlite', { https: false });
  const base = () => `/api/hybrid/v1/accounts/${plane.cp.accountId}/hybrid-cloud-environments`;
  const rest = (method: string, path: string, body?: unknown) => callApi(plane.cp.url, method, path, { body, headers: plane.auth() });

  it('creates, updates by mask and reads an environment in proto JSON', async () => {
    const configuration = {
      namespace: 'rest',
      httpProxyUrl: 'http://proxy.internal:3128',
      tolerations: [{ key: 'dedicated', operator: 'TOLERATION_OPERATOR_EXISTS', effect: 'TOLERATION_EFFECT_NO_SCHEDULE' }],
      advancedOperatorSettings: { settings: { backupTimeout: 120, qdrant: { log_level: 'DEBUG' } } },
    };
    const created = await rest('POST', base(), { hybridCloudEnvironment: { accountId: plane.cp.accountId, name: 'rest_env', configuration } });
    expect(created.status, created.text).toBe(200);
    const env = created.json.hybridCloudEnvironment;
    // The gateway writes unset repeated fields as [] (as grpc-gateway with EmitUnpopulated).
    const empty = { noProxyConfigs: [], ingress: [], egress: [], nodeSelector: [], controlPlaneLabels: [] };
    expect(env.configuration).toEqual({ ...empty, ...configuration, lastModifiedAt: expect.any(String) });

    const body = {
      hybridCloudEnvironment: { accountId: plane.cp.accountId, id: env.id, name: 'ignored', configuration: { httpProxyUrl: 'http://other:1' } },
      updateMask: 'configuration.httpProxyUrl',
    };
    const updated = await rest('PUT', `${base()}/${env.id}`, body);
    expect(updated.status, updated.text).toBe(200);
    const got = await rest('GET', `${base()}/${env.id}`);
    expect(got.json.hybridCloudEnvironment).toMatchObject({ name: 'rest_env', configuration: { ...configuration, httpProxyUrl: 'http://other:1' } });
  });

  it('answers a malformed configuration 400 with the field named', async () => {
    const refused = await rest('POST', base(), { hybridCloudEnvironment: { accountId: plane.cp.accountId, name: 'bad', configuration: { namespace: 'Bad' } } });
    expect(refused.status).toBe(400);
    expect(refused.json.message).toContain('hybrid_cloud_environment.configuration.namespace: ');
  });
});
