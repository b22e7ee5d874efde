import { afterAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '@qhc/kube';
import { startControlPlane, type RunningControlPlane } from '../src/index.ts';
import { createTestDatabase } from './support/postgres.ts';

const ADMIN = 'qhc_u_replicas-admin-token-0123456789';
const running: RunningControlPlane[] = [];
afterAll(async () => {
  for (const cp of running) await cp.stop();
});

async function call(cp: RunningControlPlane, method: string, path: string, body?: unknown, token = ADMIN) {
  const res = await fetch(`${cp.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describe('several control-plane replicas on one PostgreSQL database', () => {
  it('start together (one migrates, the others wait), and a change made on one reaches an agent long-polling another', async () => {
    const database = await createTestDatabase(inject('postgresUrl'), `replicas_${process.pid}`);
    const start = () =>
      startControlPlane({
        database,
        port: 0,
        adminToken: ADMIN,
        logger: createLogger({ level: 'error' }),
        publicUrl: 'https://cp.example.test',
        pollIntervalMs: 50,
      });
    const [a, b, c] = await Promise.all([start(), start(), start()]);
    running.push(a!, b!, c!);
    expect((await call(a!, 'POST', '/api/v1/regions', { name: 'eu', namespace: 'qdrant', agentVersion: '0.1.0', operatorVersion: '0.1.0' })).status).toBe(201);
    const install = await call(b!, 'POST', '/api/v1/regions/eu/installation');
    const agent = (await call(c!, 'POST', '/agent/v1/register', undefined, install.json.bootstrapToken as string)).json.token as string;
    const { revision } = (await call(a!, 'GET', '/agent/v1/desired-state', undefined, agent)).json as { revision: number };
    const waiting = call(b!, 'GET', `/agent/v1/desired-state?after=${revision}&waitSeconds=20`, undefined, agent);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await call(c!, 'POST', '/api/v1/regions/eu/clusters', {
      name: 'x',
      spec: { version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } },
    });
    const answered = await waiting;
    expect(answered.status).toBe(200);
    expect((answered.json.clusters as Array<{ id: string }>).map((cl) => cl.id)).toEqual(['x']);
  });
});
