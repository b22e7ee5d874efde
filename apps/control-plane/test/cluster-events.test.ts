import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '@qhc/kube';
import { startControlPlane, type RunningControlPlane } from '../src/index.ts';
import { MAX_EVENTS_PER_CLUSTER, recordClusterEvents, statusEvents } from '../src/cluster-events.ts';
import { createTestDatabase } from './support/postgres.ts';
import { caller } from './support/http.ts';

const ADMIN = 'qhc_u_events-admin-token-0123456789';
let counter = 0;

describe('what changed between two reports', () => {
  it('phase, nodes, version and each condition that moved; nothing when nothing did', () => {
    const creating = { phase: 'Creating', nodes: 1, nodesReady: 0, version: 'v1.16.2', conditions: [{ type: 'Ready', status: 'False', reason: 'Creating' }] };
    expect(statusEvents(undefined, creating)).toEqual([
      { type: 'Phase', message: 'Creating' },
      { type: 'Nodes', message: '0/1 nodes ready' },
      { type: 'Condition', message: 'Ready False (Creating)' },
    ]);
    expect(statusEvents(creating, creating)).toEqual([]);
    expect(
      statusEvents(creating, { ...creating, phase: 'Healthy', nodesReady: 1, version: 'v1.16.3', conditions: [{ type: 'Ready', status: 'True' }] }),
    ).toEqual([
      { type: 'Phase', message: 'Creating → Healthy' },
      { type: 'Nodes', message: '1/1 nodes ready' },
      { type: 'Version', message: 'running v1.16.3 (was v1.16.2)' },
      { type: 'Condition', message: 'Ready True' },
    ]);
  });
});

describe.each(['sqlite', 'postgres'] as const)('a cluster timeline on %s', (dialect) => {
  let cp: RunningControlPlane;
  const call = caller(() => cp.url, ADMIN);

  beforeAll(async () => {
    const database =
      dialect === 'sqlite'
        ? join(mkdtempSync(join(tmpdir(), 'qhc-cp-')), 'cp.db')
        : await createTestDatabase(inject('postgresUrl'), `events_${process.pid}_${counter++}`);
    cp = await startControlPlane({
      database,
      port: 0,
      adminToken: ADMIN,
      logger: createLogger({ level: 'error' }),
      console: false,
      publicUrl: 'https://cp.example.test',
    });
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it('keeps the changes asked for and those the agent reported, newest first', async () => {
    await call('POST', '/api/v1/regions', { name: 'ev', namespace: 'ev', agentVersion: '0.1.0', operatorVersion: '0.1.0' });
    const install = await call('POST', '/api/v1/regions/ev/installation');
    const agent = (await call('POST', '/agent/v1/register', undefined, install.json.bootstrapToken)).json.token as string;
    await call('POST', '/api/v1/regions/ev/clusters', {
      name: 'c1',
      spec: { version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } },
    });
    const report = (status: Record<string, unknown>) => call('POST', '/agent/v1/status', { clusters: [{ id: 'c1', ...status }] }, agent);
    await report({ phase: 'Creating', nodes: 1, nodesReady: 0 });
    await report({ phase: 'Creating', nodes: 1, nodesReady: 0 });
    await report({ phase: 'Healthy', nodes: 1, nodesReady: 1 });
    await call('POST', '/api/v1/regions/ev/clusters/c1/scale', { size: 2 });
    await call('POST', '/api/v1/regions/ev/clusters/c1/restart');
    const events = await call('GET', '/api/v1/regions/ev/clusters/c1/events');
    expect(events.json.items.map((e: { type: string; message: string }) => `${e.type}: ${e.message}`)).toEqual([
      'Requested: restart of every node',
      'Requested: scale to 2 node(s)',
      'Nodes: 1/1 nodes ready',
      'Phase: Creating → Healthy',
      'Nodes: 0/1 nodes ready',
      'Phase: Creating',
      'Requested: created: 1 node(s) of v1.16.2',
    ]);
    expect(events.json.items[0].at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await call('GET', '/api/v1/regions/ev/clusters/nope/events')).status).toBe(404);
  });

  it('keeps at most the newest events of a cluster', async () => {
    const { id } = await cp.store.cluster('ev', 'c1');
    const many = Array.from({ length: MAX_EVENTS_PER_CLUSTER + 5 }, (_, i) => ({ type: 'Nodes' as const, message: `n${i}` }));
    await recordClusterEvents(cp.store.db, id, many, '2999-01-01T00:00:00.000Z');
    const events = (await cp.store.clusterEvents('ev', 'c1', { limit: 1000 })).items;
    expect(events).toHaveLength(MAX_EVENTS_PER_CLUSTER);
    expect(events[0]!.message).toBe(`n${MAX_EVENTS_PER_CLUSTER + 4}`);
  });
});
