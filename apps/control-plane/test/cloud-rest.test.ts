// The Cloud API over HTTP/1.1 without TLS: Connect's JSON protocol (fetch) and the REST gateway
// generated from the services' google.api.http options, answering proto3 JSON.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callApi } from './support/http.ts';
import { cloudPlane, type CloudPlane, type Dialect } from './support/cloud.ts';

const keysPath = (plane: CloudPlane, account = plane.cp.accountId) => `/api/auth/v1/accounts/${account}/management-keys`;
const rest = (plane: CloudPlane, method: string, path: string, body?: unknown, key?: string) =>
  callApi(plane.cp.url, method, path, { body, headers: plane.auth(key) });

describe.each(['sqlite', 'postgres'] as const)('Connect JSON over HTTP/1.1 on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false });

  it('answers a Connect unary call in JSON, and a Connect error without a key', async () => {
    const call = (headers: Record<string, string>) =>
      fetch(`${plane.cp.url}/qdrant.cloud.auth.v1.AuthService/ListManagementKeys`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ accountId: plane.cp.accountId }),
      });
    const ok = await call(plane.auth());
    expect(ok.status).toBe(200);
    const listed = (await ok.json()) as { items: Array<{ accountId: string; key?: string; prefix: string }> };
    expect(listed.items).toEqual([expect.objectContaining({ accountId: plane.cp.accountId, prefix: 'qhc_m_test-m' })]);
    expect(listed.items[0]!.key).toBeUndefined();
    const refused = await call({});
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ code: 'unauthenticated', message: expect.stringMatching(/^missing authorization/) });
  });
});

describe.each(['sqlite', 'postgres'] as const)('REST management keys on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false });

  it('creates (POST), lists (GET) and deletes (DELETE) keys through their google.api.http routes', async () => {
    const created = await rest(plane, 'POST', keysPath(plane), {});
    expect(created.status).toBe(200);
    const key = created.json.managementKey;
    expect(key).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      accountId: plane.cp.accountId,
      createdAt: new Date(plane.clock.now).toISOString().replace('.000Z', 'Z'),
      prefix: key.key.slice(0, key.prefix.length),
      key: expect.stringMatching(/^qhc_m_/),
    });
    const listed = await rest(plane, 'GET', keysPath(plane), undefined, key.key);
    expect(listed.status).toBe(200);
    expect(listed.json.items.find((k: { id: string }) => k.id === key.id)).toEqual({ ...key, key: '' });
    const deleted = await rest(plane, 'DELETE', `${keysPath(plane)}/${key.id}`, undefined, key.key);
    expect([deleted.status, deleted.json]).toEqual([200, {}]);
    const refused = await rest(plane, 'GET', keysPath(plane), undefined, key.key);
    expect([refused.status, refused.json]).toEqual([401, { code: 16, message: 'the management key was deleted', details: [] }]);
  });

  it('lets the path decide the account, and refuses unknown query parameters naming them', async () => {
    const other = randomUUID();
    for (const name of ['account_id', 'accountId']) {
      const listed = await rest(plane, 'GET', `${keysPath(plane)}?${name}=${other}`);
      expect(listed.status).toBe(200);
      expect(listed.json.items.every((k: { accountId: string }) => k.accountId === plane.cp.accountId)).toBe(true);
    }
    const unknown = await rest(plane, 'GET', `${keysPath(plane)}?colour=blue`);
    expect([unknown.status, unknown.json]).toEqual([
      400,
      { code: 3, message: 'query parameter colour: qdrant.cloud.auth.v1.ListManagementKeysRequest has no such field', details: [] },
    ]);
  });
});
