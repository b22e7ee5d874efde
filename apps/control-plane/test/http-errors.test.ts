// Issue 19, findings 2 and 5: every client mistake is a 4xx naming what is wrong, a 500 tells
// the client nothing but a request id, refusals and failures are logged, and no token reaches
// the log at any level.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@qhc/kube';
import { MANAGEMENT_KEY } from './support/cloud.ts';
import { startWithEnvironment, type EnvironmentFixture } from './support/cloud-region.ts';
import { callApi } from './support/http.ts';

const as = (token: string) => ({ authorization: `Bearer ${token}` });

/** A control plane logging everything (debug) to `lines`, with environment `r` and its agent. */
function errorFixture() {
  let env: EnvironmentFixture | undefined;
  const lines: string[] = [];
  const logged = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

  beforeAll(async () => {
    // Debug: the most the log ever says, so a token in it would show.
    env = await startWithEnvironment(undefined, createLogger({ level: 'debug', write: (line) => lines.push(line) }));
  });
  afterAll(async () => {
    await env?.cp.stop();
  });
  return {
    get cp() {
      return env!.cp;
    },
    get agent() {
      return env!.agent;
    },
    bootstrap: () => env!.bootstrap(),
    lines,
    logged,
  };
}

describe('HTTP errors: query parameters and paths', () => {
  const f = errorFixture();

  it('a long-poll with waitSeconds=abc answers 400 at once, naming the parameter', async () => {
    const { revision } = (await callApi(f.cp.url, 'GET', '/agent/v1/desired-state', { headers: as(f.agent) })).json;
    const answer = await callApi(f.cp.url, 'GET', `/agent/v1/desired-state?after=${revision}&waitSeconds=abc`, { headers: as(f.agent) });
    expect(answer.status).toBe(400);
    expect(answer.json.message).toMatch(/^waitSeconds: must be a whole number/);
    expect(answer.json.problems).toEqual([expect.objectContaining({ path: ['waitSeconds'] })]);
  }, 10_000);

  it('after=abc, and negative, huge or fractional numbers, are a 400 naming the parameter', async () => {
    for (const query of [
      'after=abc',
      'after=-2',
      'after=1.5',
      'after=1e3',
      'after=99999999999999999999',
      'waitSeconds=-1',
      'waitSeconds=0.5',
      'waitSeconds=100000',
      'waitSeconds=',
    ]) {
      const answer = await callApi(f.cp.url, 'GET', `/agent/v1/desired-state?${query}`, { headers: as(f.agent) });
      expect(answer.status, query).toBe(400);
      expect(answer.json.message, query).toMatch(new RegExp(`^${query.split('=')[0]}: `));
    }
    expect((await callApi(f.cp.url, 'GET', '/agent/v1/desired-state?after=-1&waitSeconds=0', { headers: as(f.agent) })).status).toBe(200);
  });

  it('malformed percent-encoding in a path is a 400 naming the problem, not a 500', async () => {
    const answer = await callApi(f.cp.url, 'GET', '/install/%E0%A4%A');
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({
      error: 'InvalidPath',
      message: expect.stringContaining('token: the path segment "%E0%A4%A" is not valid percent-encoding'),
    });
  });
});

describe('HTTP errors: a 500, request ids and the log', () => {
  const f = errorFixture();

  it('a 500 carries only the request id; the log has the error with id, method and path', async () => {
    const desiredState = f.cp.store.desiredState.bind(f.cp.store);
    f.cp.store.desiredState = async () => {
      throw new Error('connection to db-7.internal refused');
    };
    try {
      const answer = await callApi(f.cp.url, 'GET', '/agent/v1/desired-state', { headers: as(f.agent) });
      const requestId = answer.headers.get('x-request-id');
      expect(answer.status).toBe(500);
      expect(answer.json).toEqual({ error: 'Internal', message: 'internal error', requestId });
      expect(answer.text).not.toContain('db-7');
      expect(f.logged()).toContainEqual(
        expect.objectContaining({
          level: 'error',
          requestId,
          method: 'GET',
          path: '/agent/v1/desired-state',
          status: 500,
          error: 'connection to db-7.internal refused',
        }),
      );
    } finally {
      f.cp.store.desiredState = desiredState;
    }
  });

  it('each request gets an id: a sane one sent is kept, anything else replaced', async () => {
    const kept = await callApi(f.cp.url, 'GET', '/healthz', { headers: { 'x-request-id': 'trace-42.a:b' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-42.a:b');
    const replaced = await callApi(f.cp.url, 'GET', '/healthz', { headers: { 'x-request-id': `"${'x'.repeat(200)}` } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refused authentication is logged at warn with the request id; tokens never reach the log', async () => {
    const secret = 'qhc_u_not-a-real-token-but-secret';
    const refused = await callApi(f.cp.url, 'GET', `/agent/v1/desired-state?token=${secret}&x=1`, { headers: as(secret) });
    expect(refused.status).toBe(401);
    const requestId = refused.headers.get('x-request-id');
    expect(f.logged()).toContainEqual(
      expect.objectContaining({ level: 'warn', requestId, method: 'GET', path: '/agent/v1/desired-state?token=***&x=***', status: 401 }),
    );
    const bootstrap = await f.bootstrap();
    // A bootstrap token is of the wrong kind for the agent's desired state.
    const forbidden = await callApi(f.cp.url, 'GET', '/agent/v1/desired-state', { headers: as(bootstrap) });
    expect(forbidden.status).toBe(403);
    expect(f.logged()).toContainEqual(expect.objectContaining({ level: 'warn', requestId: forbidden.headers.get('x-request-id'), status: 403 }));
    expect((await callApi(f.cp.url, 'GET', `/install/${bootstrap}`)).status).toBe(200);
    expect((await callApi(f.cp.url, 'GET', `/install/${secret}/helm`)).status).toBe(401);
    expect(f.logged()).toContainEqual(expect.objectContaining({ level: 'debug', msg: 'request', path: '/install/***', status: 200 }));
    const all = f.lines.join('\n');
    for (const token of [secret, MANAGEMENT_KEY, f.agent, bootstrap]) expect(all).not.toContain(token);
  });
});
