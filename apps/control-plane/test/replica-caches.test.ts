// Idle agents cost the database nothing while the revision feed is live: a long-poll's first look
// (the region's revision) and its agent token come from the replica's memory. A revocation on
// one replica reaches every other at once (its notice), a change still answers a long-poll, and
// after the listening connection was lost nothing remembered from before is used.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import { parseClusterInput } from '../src/api/inputs.ts';
import { FEED_APPLICATION_NAME } from '../src/db/postgres-feed.ts';
import { isTokensNotice } from '../src/db/revision-feed.ts';
import type { RunningControlPlane } from '../src/index.ts';
import { ONLY_NOTICES, startListeningReplica, startWithEnvironment, type EnvironmentFixture } from './support/cloud-region.ts';
import { callApi } from './support/http.ts';
import { createTestDatabase } from './support/postgres.ts';

const databaseOf = async (dialect: 'sqlite' | 'postgres') =>
  dialect === 'sqlite'
    ? join(mkdtempSync(join(tmpdir(), 'qhc-cp-')), 'control-plane.db')
    : createTestDatabase(inject('postgresUrl'), `caches_${process.pid}_${Math.random().toString(36).slice(2, 8)}`);

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.toReversed()) await cleanup();
});

const poll = (cp: RunningControlPlane, token: string, after: number, waitSeconds = 0) =>
  callApi(cp.url, 'GET', `/agent/v1/desired-state?after=${after}&waitSeconds=${waitSeconds}`, { headers: { authorization: `Bearer ${token}` } });

async function fixtureOn(database: string): Promise<EnvironmentFixture & { revision: number }> {
  const f = await startWithEnvironment(database, undefined, ONLY_NOTICES);
  cleanups.push(() => f.cp.stop());
  await vi.waitFor(() => expect(f.cp.store.db.revisions.live).toBe(true));
  const revision = (await poll(f.cp, f.agent, -1)).json.revision as number;
  return { ...f, revision };
}

/** The statements the control plane ran during `fn`. */
async function statementsOf(cp: RunningControlPlane, fn: () => Promise<unknown>): Promise<number> {
  const before = cp.store.db.stats.queries;
  await fn();
  return cp.store.db.stats.queries - before;
}

/** `n` idle re-polls, one after the other, each answered 204 (nothing changed). */
const rePolls = (cp: RunningControlPlane, token: string, after: number, n: number) =>
  statementsOf(cp, async () => {
    for (let i = 0; i < n; i++) expect((await poll(cp, token, after)).status).toBe(204);
  });

const addCluster = async (cp: RunningControlPlane, name: string) => {
  const spec = { version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } };
  await cp.store.createCluster(await cp.store.region('r'), parseClusterInput({ name, spec }));
};

describe.each(['sqlite', 'postgres'] as const)('idle agents on %s', (dialect) => {
  it('re-polls that find nothing changed run no statement, and a change still answers a parked long-poll', async () => {
    const f = await fixtureOn(await databaseOf(dialect));
    // The fixture's first poll read the token and the revision: from here on both come from memory.
    expect(await rePolls(f.cp, f.agent, f.revision, 20)).toBe(0);
    const waiting = poll(f.cp, f.agent, f.revision, 120);
    await f.cp.longPolls.parked(f.environmentId);
    await addCluster(f.cp, 'c1');
    const answered = await waiting;
    expect(answered.status).toBe(200);
    expect(answered.json.clusters.map((c: { id: string }) => c.id)).toEqual(['c1']);
    // The woken long-poll read the new revision: the re-polls after it are answered from memory again.
    expect(await rePolls(f.cp, f.agent, answered.json.revision as number, 5)).toBe(0);
  });

  it('a rotated agent token is refused at once by the replica that rotated it, and the new one works', async () => {
    const f = await fixtureOn(await databaseOf(dialect));
    expect(await rePolls(f.cp, f.agent, f.revision, 2)).toBe(0);
    const rotated = await callApi(f.cp.url, 'POST', '/agent/v1/rotate', { headers: { authorization: `Bearer ${f.agent}` } });
    expect(rotated.status).toBe(201);
    expect((await poll(f.cp, f.agent, f.revision)).status).toBe(401);
    expect((await poll(f.cp, rotated.json.token as string, f.revision)).status).toBe(204);
  });

  it('a token revoked before its notice came (another replica revoked it) cannot rotate itself into a new live token', async () => {
    const f = await fixtureOn(await databaseOf(dialect));
    expect(await rePolls(f.cp, f.agent, f.revision, 2)).toBe(0);
    // Revoked behind this replica's back: what another replica's revocation is until its notice arrives.
    await f.cp.store.db.q.updateTable('tokens').set({ revoked_at: new Date().toISOString() }).where('kind', '=', 'agent').execute();
    const rotated = await callApi(f.cp.url, 'POST', '/agent/v1/rotate', { headers: { authorization: `Bearer ${f.agent}` } });
    expect(rotated.status).toBe(401);
  });
});

async function twoReplicas() {
  const database = await databaseOf('postgres');
  const a = await fixtureOn(database);
  const b = await startListeningReplica(database);
  cleanups.push(() => b.stop());
  return { database, a, b };
}

/** Resolves when `cp` hears a notice that agent tokens changed. */
const tokensNotice = (cp: RunningControlPlane) =>
  new Promise<void>((resolve) => {
    const stop = cp.store.db.revisions.subscribe((notice) => isTokensNotice(notice) && (stop(), resolve()));
  });

describe('replicas on one PostgreSQL', () => {
  it('a token revoked on replica A (rotated, then the region re-registered) is refused on replica B once B heard it', async () => {
    const { a, b } = await twoReplicas();
    await rePolls(b, a.agent, a.revision, 1);
    // B answers from memory: only the notice can tell it the token went.
    expect(await rePolls(b, a.agent, a.revision, 3)).toBe(0);
    let heard = tokensNotice(b);
    const rotated = await callApi(a.cp.url, 'POST', '/agent/v1/rotate', { headers: { authorization: `Bearer ${a.agent}` } });
    await heard;
    expect((await poll(b, a.agent, a.revision)).status).toBe(401);
    const current = rotated.json.token as string;
    await rePolls(b, current, a.revision, 1);
    expect(await rePolls(b, current, a.revision, 3)).toBe(0);
    // A new installation's registration revokes the region's earlier agent tokens.
    heard = tokensNotice(b);
    const registered = await callApi(a.cp.url, 'POST', '/agent/v1/register', { headers: { authorization: `Bearer ${await a.bootstrap()}` } });
    expect(registered.status).toBe(201);
    await heard;
    expect((await poll(b, current, a.revision)).status).toBe(401);
    expect((await poll(b, registered.json.token as string, a.revision)).status).toBe(204);
  });

  it("a revocation's notice drops only the tokens it names: the registration's echo from PostgreSQL keeps the token it issued", async () => {
    const { database, a } = await twoReplicas();
    const admin = new pg.Client({ connectionString: database });
    await admin.connect();
    cleanups.push(() => admin.end());
    const { rows } = await admin.query("SELECT id FROM tokens WHERE kind = 'agent' AND revoked_at IS NULL AND region_id = $1", [a.environmentId]);
    const current = rows[0].id as string;
    await rePolls(a.cp, a.agent, a.revision, 1);
    expect(await rePolls(a.cp, a.agent, a.revision, 3)).toBe(0);
    // What a registration's notice says when it comes back after the new token was remembered: the earlier tokens went.
    let heard = tokensNotice(a.cp);
    await admin.query('SELECT pg_notify($1, $2)', ['qhc_agent_tokens', `${a.environmentId}:${crypto.randomUUID()}`]);
    await heard;
    expect(await rePolls(a.cp, a.agent, a.revision, 3)).toBe(0);
    // A notice naming the token drops it: the next poll reads it again (one statement), then remembers it.
    heard = tokensNotice(a.cp);
    await admin.query('SELECT pg_notify($1, $2)', ['qhc_agent_tokens', `${a.environmentId}:${current}`]);
    await heard;
    expect(await rePolls(a.cp, a.agent, a.revision, 3)).toBe(1);
  });

  it('after the listening connection was lost, nothing remembered before is used: the next poll reads the database', async () => {
    const { database, a } = await twoReplicas();
    await rePolls(a.cp, a.agent, a.revision, 1);
    expect(await rePolls(a.cp, a.agent, a.revision, 3)).toBe(0);
    const { revisions } = a.cp.store.db;
    const epoch = revisions.epoch;
    const admin = new pg.Client({ connectionString: database });
    await admin.connect();
    cleanups.push(() => admin.end());
    // Both replicas' listening connections: A's is the one whose loss matters here.
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1', [
      FEED_APPLICATION_NAME,
    ]);
    await vi.waitFor(() => expect(revisions.live && revisions.epoch > epoch).toBe(true), { timeout: 10_000 });
    // The token and the revision are read again (2 statements), then remembered under the new epoch.
    expect(await rePolls(a.cp, a.agent, a.revision, 1)).toBe(2);
    expect(await rePolls(a.cp, a.agent, a.revision, 3)).toBe(0);
  });
});
