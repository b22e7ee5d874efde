import { afterAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '@qhc/kube';
import { startControlPlane, type RunningControlPlane } from '../src/index.ts';
import { createTestDatabase } from './support/postgres.ts';
import { caller } from './support/http.ts';

const ADMIN = 'qhc_u_replicas-admin-token-0123456789';
const running: RunningControlPlane[] = [];
afterAll(async () => {
  for (const cp of running) await cp.stop();
});

const call = (cp: RunningControlPlane, method: string, path: string, body?: unknown, token = ADMIN) => caller(() => cp.url, ADMIN)(method, path, body, token);

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
    // Parked on b: the change made on c must wake it through the database, not be there when it first looks.
    await b!.longPolls.parked((await call(a!, 'GET', '/api/v1/regions/eu')).json.id);
    await call(c!, 'POST', '/api/v1/regions/eu/clusters', {
      name: 'x',
      spec: { version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } },
    });
    const answered = await waiting;
    expect(answered.status).toBe(200);
    expect((answered.json.clusters as Array<{ id: string }>).map((cl) => cl.id)).toEqual(['x']);
  });
});
