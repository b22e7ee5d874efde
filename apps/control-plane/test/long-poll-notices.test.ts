// The agents' long-polls are woken by the database's notices (PostgreSQL LISTEN/NOTIFY, SQLite
// in-process), not by looking again: the look-again intervals are an hour here, so only a notice
// can answer a long-poll within the test, and parked long-polls cost no queries while idle.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import { parseClusterInput } from '../src/api/inputs.ts';
import type { RunningControlPlane } from '../src/index.ts';
import { ONLY_NOTICES, startListeningReplica, startWithEnvironment, type EnvironmentFixture } from './support/cloud-region.ts';
import { callApi } from './support/http.ts';
import { createTestDatabase } from './support/postgres.ts';

let counter = 0;
const databaseOf = async (dialect: 'sqlite' | 'postgres') =>
  dialect === 'sqlite'
    ? join(mkdtempSync(join(tmpdir(), 'qhc-cp-')), 'control-plane.db')
    : createTestDatabase(inject('postgresUrl'), `notices_${process.pid}_${counter++}_${Math.random().toString(36).slice(2, 8)}`);

const stopping: Array<{ stop(): Promise<void> }> = [];
afterAll(async () => {
  for (const cp of stopping.toReversed()) await cp.stop();
});

const longPoll = (cp: RunningControlPlane, agent: string, after: number, waitSeconds: number, signal?: AbortSignal) =>
  callApi(cp.url, 'GET', `/agent/v1/desired-state?after=${after}&waitSeconds=${waitSeconds}`, { headers: { authorization: `Bearer ${agent}` }, signal });

async function fixtureOn(database: string, options: Record<string, number> = ONLY_NOTICES): Promise<EnvironmentFixture & { revision: number }> {
  const f = await startWithEnvironment(database, undefined, options);
  stopping.push(f.cp);
  // Listening before the first park: until then a long-poll would fall back to polling.
  await vi.waitFor(() => expect(f.cp.store.db.revisions.live).toBe(true));
  const revision = (await longPoll(f.cp, f.agent, -1, 0)).json.revision as number;
  return { ...f, revision };
}

const addCluster = async (cp: RunningControlPlane, name: string) => {
  const spec = { version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } };
  await cp.store.createCluster(await cp.store.region('r'), parseClusterInput({ name, spec }));
};

describe('long-polls on PostgreSQL, several replicas', () => {
  it('a long-poll parked on one replica answers a change made on another: the NOTIFY woke it', async () => {
    const database = await databaseOf('postgres');
    const a = await fixtureOn(database);
    const b = await startListeningReplica(database);
    stopping.push(b);
    const waiting = longPoll(b, a.agent, a.revision, 120);
    await b.longPolls.parked(a.environmentId);
    await addCluster(a.cp, 'from-a');
    const answered = await waiting;
    expect(answered.status).toBe(200);
    expect(answered.json.revision).toBeGreaterThan(a.revision);
    expect(answered.json.clusters.map((c: { id: string }) => c.id)).toEqual(['from-a']);
    expect(answered.json.crds.length).toBeGreaterThan(0);
  });
});

describe.each(['sqlite', 'postgres'] as const)('idle long-polls on %s', (dialect) => {
  it('parked long-polls run no queries while nothing changes, and a deleted region answers its long-poll at once', async () => {
    // A 5 ms fallback interval: were the long-polls looking on their own, they would run hundreds of queries.
    const f = await fixtureOn(await databaseOf(dialect), { ...ONLY_NOTICES, pollIntervalMs: 5 });
    const { stats } = f.cp.store.db;
    /** The queries while a 1 s long-poll of the region runs to its end (204). */
    const queriesOfOneSecond = async () => {
      const before = stats.queries;
      expect((await longPoll(f.cp, f.agent, f.revision, 1)).status).toBe(204);
      return stats.queries - before;
    };
    const alone = await queriesOfOneSecond();
    const parked = Array.from({ length: 20 }, () => longPoll(f.cp, f.agent, f.revision, 120));
    await vi.waitFor(() => expect(f.cp.longPolls.waiting(f.environmentId)).toBe(20));
    expect(await queriesOfOneSecond()).toBe(alone);
    // The region goes: its long-polls answer (404) without waiting for a look of their own.
    await f.hybrid.deleteHybridCloudEnvironment({ accountId: f.cp.accountId, hybridCloudEnvironmentId: f.environmentId }, f.options);
    expect((await Promise.all(parked)).map((r) => r.status)).toEqual(Array(20).fill(404));
  });
});
