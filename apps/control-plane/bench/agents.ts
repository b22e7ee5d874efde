// pnpm bench (@qhc/control-plane): K simulated agents, each its own region, long-polling through
// the agent protocol from this process; M clusters spread over them; the control plane as
// separate replica processes on SQLite (1 replica) or PostgreSQL (several); the read load from a
// process of its own. Measures a cluster
// change → its agent's answer (p50/p99), GetCluster/ListClusters p99 under a read load, each
// replica's RSS and open file descriptors, and the database's statements per second while idle.
// Scenarios: BENCH_AGENTS="<sqlite|postgres>:<replicas>:<agents>:<clusters>,…".
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeBenchTable, type BenchRow } from '@qhc/bench';
import pg from 'pg';
import { createTestDatabase, startTestPostgres, type TestPostgres } from '../test/support/postgres.ts';
import { processFigures, SimulatedAgent, startReplica, type Replica, type ReplicaStats } from './agents/fleet.ts';
import { cpuMs, treeCpuMs } from './agents/cpu.ts';
import { changeLatencies, idleRates } from './agents/measure.ts';
import { readLoadApart } from './agents/reader.ts';
import { clientsOf, seed } from './agents/seed.ts';

const KEY = 'qhc_m_bench-management-key-0123456789';
const SECRETS_KEY = `b1:${Buffer.alloc(32, 9).toString('base64')}`;
// Ctrl-C, or turbo stopping the task, ends the run through process.exit, whose hook kills
// the PostgreSQL it started (test/support/postgres.ts) rather than leaving them running.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
const SCENARIOS = (process.env.BENCH_AGENTS ?? 'sqlite:1:100:1000,postgres:3:1000:10000').split(',').map((s) => {
  const [dialect, replicas, agents, clusters] = s.split(':');
  return { dialect: dialect as 'sqlite' | 'postgres', replicas: Number(replicas), agents: Number(agents), clusters: Number(clusters) };
});
const CHANGES = Number(process.env.BENCH_CHANGES ?? 200);
// One whole wait of the agents' long-polls (the agent asks for 25 s): each re-polls once within it.
const IDLE_SECONDS = 25;
const AGENT_WAIT_SECONDS = 25;
const READ_RPS = 200;
const STATS_FLUSH_MS = 11_000;
const READ_SECONDS = 10;
type Scenario = (typeof SCENARIOS)[number];

async function until(what: string, seconds: number, done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

async function startReplicas(s: Scenario, database: string): Promise<Replica[]> {
  const options = { database, managementKey: KEY, ...(s.dialect === 'postgres' ? { secretsKey: SECRETS_KEY } : {}) };
  // The first migrates; the others start together after it.
  const first = await startReplica(options);
  return [first, ...(await Promise.all(Array.from({ length: s.replicas - 1 }, () => startReplica(options))))];
}

/** The replicas' records in memory and their refusals (a full pool line), after the read load. */
const lastStats = (all: ReplicaStats[]) => ({ rendered: all.map((x) => x.rendered), busy: all.map((x) => x.busy) });

async function run(s: Scenario): Promise<BenchRow> {
  let postgres: TestPostgres | undefined;
  let database = join(mkdtempSync(join(tmpdir(), 'qhc-bench-agents-')), 'cp.db');
  if (s.dialect === 'postgres') {
    postgres = await startTestPostgres();
    database = await createTestDatabase(postgres.url, 'bench');
  }
  const stats = postgres ? new pg.Client({ connectionString: database }) : undefined;
  await stats?.connect();
  const xacts = stats
    ? async () => Number((await stats.query("SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = 'bench'")).rows[0].n)
    : undefined;
  const replicas = await startReplicas(s, database);
  const { accountId } = replicas[0]!;
  const options = { headers: { authorization: `apikey ${KEY}` } };
  const clients = replicas.map((r) => clientsOf(r.url));
  const controller = new AbortController();
  try {
    let started = performance.now();
    const world = await seed(
      replicas.map((r) => r.url),
      accountId,
      KEY,
      s.agents,
      s.clusters,
    );
    const seedS = Math.round((performance.now() - started) / 1000);
    const agents = world.regions.map((r, i) => new SimulatedAgent(replicas[i % replicas.length]!.url, r.token));
    const running = agents.map((a) => a.run(controller.signal, AGENT_WAIT_SECONDS));
    started = performance.now();
    await until('every agent parked', 600, async () => (await Promise.all(replicas.map((r) => r.stats()))).reduce((n, x) => n + x.parked, 0) >= s.agents);
    const firstAnswersS = Math.round((performance.now() - started) / 100) / 10;
    // The seeding's dead rows would have autovacuum run during the idle window: not the long-polls' cost.
    await stats?.query('VACUUM ANALYZE');
    // PostgreSQL 15+ backends that go idle report their transactions to pg_stat_database up to
    // 10 s later (PGSTAT_IDLE_INTERVAL): without this wait the seeding's and the first answers'
    // transactions land in the idle window (a probe saw steps of ~1,000 in its first 10 s, then 0).
    if (stats) await sleep(STATS_FLUSH_MS);
    const idle = await idleRates(replicas, IDLE_SECONDS, xacts);
    const change = await changeLatencies(world, agents, clients, accountId, options, CHANGES);
    const cpu = () => ({ replicas: replicas.reduce((n, r) => n + cpuMs(r.pid), 0), database: postgres ? treeCpuMs(postgres.pid) : 0 });
    const cpu0 = cpu();
    const read = await readLoadApart({ urls: replicas.map((r) => r.url), world, accountId, options, rps: READ_RPS, seconds: READ_SECONDS });
    const cpu1 = cpu();
    const perRead = (ms: number) => (read.requests > 0 ? Math.round((ms / read.requests) * 100) / 100 : undefined);
    const figures = replicas.map((r) => processFigures(r.pid));
    const { rendered, busy } = lastStats(await Promise.all(replicas.map((r) => r.stats())));
    controller.abort();
    await Promise.allSettled(running);
    const agentErrors = agents.reduce((n, a) => n + a.errors, 0);
    console.error(JSON.stringify({ scenario: s, seedS, firstAnswersS, change, read, idle, figures, rendered, busy, agentErrors }));
    return {
      database: s.dialect,
      replicas: s.replicas,
      agents: s.agents,
      clusters: s.clusters,
      changeP50Ms: change.p50Ms,
      changeP99Ms: change.p99Ms,
      changesMissed: change.missed,
      getP99Ms: read.getP99Ms,
      listP99Ms: read.listP99Ms,
      readRps: read.achievedRps,
      readErrors: read.errors,
      readReplicaCpuMs: perRead(cpu1.replicas - cpu0.replicas),
      readDatabaseCpuMs: postgres ? perRead(cpu1.database - cpu0.database) : undefined,
      agentErrors,
      rssMiB: figures.map((f) => f.rssMiB).join(' / '),
      fds: figures.map((f) => f.fds).join(' / '),
      idleStatementsPerS: Math.round(idle.statementsPerS * 100) / 100,
      idlePgXactPerS: idle.pgXactPerS === undefined ? undefined : Math.round(idle.pgXactPerS * 100) / 100,
      seedS,
    };
  } finally {
    controller.abort();
    for (const r of replicas) await r.stop();
    await stats?.end();
    await postgres?.stop();
  }
}

const rows = [];
for (const scenario of SCENARIOS) rows.push(await run(scenario));
writeBenchTable({
  component: 'control-plane-agents',
  title: 'K agents long-polling (each its own region), M clusters: change → answer, reads under load, replica footprint, idle database load',
  columns: [
    { key: 'database', header: 'database' },
    { key: 'replicas', header: 'replicas' },
    { key: 'agents', header: 'agents (K)' },
    { key: 'clusters', header: 'clusters (M)' },
    { key: 'changeP50Ms', header: 'change → answer p50 (ms)', target: '≤ 200' },
    { key: 'changeP99Ms', header: 'change → answer p99 (ms)', target: '≤ 1000' },
    { key: 'changesMissed', header: 'changes unanswered in 10 s', target: '0' },
    { key: 'getP99Ms', header: 'GetCluster p99 (ms)' },
    { key: 'listP99Ms', header: 'ListClusters p99 (ms)' },
    { key: 'readRps', header: 'read load (req/s)', target: `${READ_RPS}` },
    { key: 'readErrors', header: 'read errors', target: '0' },
    { key: 'readReplicaCpuMs', header: 'replicas CPU per read (ms)' },
    { key: 'readDatabaseCpuMs', header: 'PostgreSQL CPU per read (ms)' },
    { key: 'agentErrors', header: 'agent errors (503s, resets)', target: '0' },
    { key: 'rssMiB', header: 'RSS per replica (MiB)' },
    { key: 'fds', header: 'open fds per replica' },
    { key: 'idleStatementsPerS', header: 'idle statements/s (all replicas)', target: '≈ 0' },
    { key: 'idlePgXactPerS', header: 'idle PostgreSQL xact/s', target: '≈ 0' },
    { key: 'seedS', header: 'seeding (s)' },
  ],
  rows,
  context: { changes: CHANGES, 'read load': `${READ_RPS} req/s for ${READ_SECONDS} s`, idle: `${IDLE_SECONDS} s` },
});
