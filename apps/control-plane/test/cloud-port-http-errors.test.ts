// http-errors.test.ts on the Cloud API: a malformed path is a 4xx naming the problem, not a 500;
// each request gets an id; refused calls are logged at warn; no key (management key, bootstrap
// token, a wrong key) reaches the log at any level.
import { createClient } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-node';
import { hybridV1 } from '@qhc/cloud-api';
import { createLogger } from '@qhc/kube';
import { describe, expect, it } from 'vitest';
import { cloudPlane, failure, MANAGEMENT_KEY } from './support/cloud.ts';
import { callApi } from './support/http.ts';
import { codeOf } from './support/hybrid.ts';

const lines: string[] = [];
const logged = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('Cloud API errors, request ids and the log', () => {
  // Debug: the most the log ever says, so a key in it would show.
  const plane = cloudPlane('sqlite', {
    https: false,
    publicUrl: 'https://cp.example.test',
    logger: createLogger({ level: 'debug', write: (line) => lines.push(line) }),
  });
  const envsPath = () => `/api/hybrid/v1/accounts/${plane.cp.accountId}/hybrid-cloud-environments`;

  it('malformed percent-encoding or a hostile id in a path is a 4xx naming the problem, not a 500', async () => {
    for (const id of ['%ZZ', '%E0%A4%A', '..%2F..', 'x'.repeat(3000)]) {
      const answer = await callApi(plane.cp.url, 'GET', `${envsPath()}/${id}`, { headers: plane.auth() });
      expect(answer.status, id.slice(0, 20)).toBeGreaterThanOrEqual(400);
      expect(answer.status, id.slice(0, 20)).toBeLessThan(500);
      expect(answer.json.message, id.slice(0, 20)).toMatch(/./);
    }
  });

  it('each request gets an id: a sane one sent is kept, anything else replaced', async () => {
    const kept = await callApi(plane.cp.url, 'GET', envsPath(), { headers: { ...plane.auth(), 'x-request-id': 'trace-42.a:b' } });
    expect([kept.status, kept.headers.get('x-request-id')]).toEqual([200, 'trace-42.a:b']);
    const replaced = await callApi(plane.cp.url, 'GET', envsPath(), { headers: { ...plane.auth(), 'x-request-id': `"${'x'.repeat(200)}` } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refused authentication is logged at warn; keys never reach the log', async () => {
    const secret = 'qhc_m_not-a-real-key-but-secret-000000';
    const rest = await callApi(plane.cp.url, 'GET', envsPath(), { headers: { authorization: `apikey ${secret}` } });
    expect(rest.status).toBe(401);
    // A key where a parameter goes is refused as an unknown parameter: its value is not logged either.
    expect((await callApi(plane.cp.url, 'GET', `${envsPath()}?key=${secret}`, { headers: plane.auth() })).status).toBe(400);
    const client = createClient(hybridV1.HybridCloudService, createConnectTransport({ baseUrl: plane.cp.url, httpVersion: '1.1' }));
    const refused = await failure(client.listHybridCloudEnvironments({ accountId: plane.cp.accountId }, { headers: { authorization: `apikey ${secret}` } }));
    expect(codeOf(refused)).toBe(16);
    expect(logged().filter((l) => l.level === 'warn' && l.msg === 'cloud api call refused').length).toBeGreaterThanOrEqual(2);
    // A bootstrap token and the operator's key, used as they are meant to be, are not logged either.
    const env = (
      await client.createHybridCloudEnvironment(
        { hybridCloudEnvironment: { accountId: plane.cp.accountId, name: 'logged', configuration: { namespace: 'qhc' } } },
        { headers: plane.auth() },
      )
    ).hybridCloudEnvironment!;
    const bootstrap = await client.generateBootstrapCommands({ accountId: plane.cp.accountId, hybridCloudEnvironmentId: env.id }, { headers: plane.auth() });
    expect((await callApi(plane.cp.url, 'GET', `/install/${bootstrap.accessKey}`)).status).toBe(200);
    const all = lines.join('\n');
    expect(lines.length).toBeGreaterThan(5);
    for (const key of [secret, MANAGEMENT_KEY, bootstrap.accessKey]) expect(all).not.toContain(key);
  });
});
