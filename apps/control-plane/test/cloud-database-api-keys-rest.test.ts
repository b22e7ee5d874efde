// Database API keys through the REST gateway (the routes of their google.api.http options), as
// curl or a REST client would call them: proto3 JSON in and out.
import { describe, expect, it } from 'vitest';
import { callApi } from './support/http.ts';
import { cloudPlane } from './support/cloud.ts';
import { keyWorld } from './support/database-api-keys.ts';

describe('REST database API keys', () => {
  const plane = cloudPlane('sqlite', { https: false });

  it('creates (POST), lists (GET) and deletes (DELETE) a key', async () => {
    const world = await keyWorld(plane, 'rest');
    const path = `/api/cluster/auth/v2/accounts/${plane.cp.accountId}/database-api-keys`;
    const rest = (method: string, url: string, body?: unknown) => callApi(plane.cp.url, method, url, { body, headers: plane.auth() });
    const body = {
      databaseApiKey: {
        clusterId: world.clusterId,
        name: 'rest reader',
        accessRules: [{ globalAccess: { accessType: 'GLOBAL_ACCESS_RULE_ACCESS_TYPE_READ_ONLY' } }],
      },
    };
    const created = await rest('POST', path, body);
    expect(created.status).toBe(200);
    const key = created.json.databaseApiKey;
    expect(key).toMatchObject({
      accountId: plane.cp.accountId,
      clusterId: world.clusterId,
      name: 'rest reader',
      key: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    const listed = await rest('GET', `${path}?clusterId=${world.clusterId}`);
    expect(listed.json.items).toEqual([{ ...key, key: '' }]);
    expect((await rest('DELETE', `${path}/${key.id}?clusterId=${world.clusterId}`)).status).toBe(200);
    expect((await rest('GET', path)).json.items ?? []).toEqual([]);
    const refused = await rest('POST', path, { databaseApiKey: { clusterId: world.clusterId, name: 'x' } });
    expect([refused.status, refused.json.message]).toEqual([400, expect.stringMatching(/^database_api_key\.name: /)]);
  });
});
