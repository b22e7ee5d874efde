// Every statement of the hot paths (an agent's long-poll and status report, GetCluster,
// ListClusters) on PostgreSQL with large tables: captured as the control plane runs them, then
// EXPLAINed with their parameters. None may read a table whole (a sequential scan), even one
// small here: with sequential scans priced out, the planner picks one only when no index serves.
import { createClient } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-node';
import { clusterV1 } from '@qhc/cloud-api';
import pg from 'pg';
import { afterAll, expect, inject, it } from 'vitest';
import { clusterInit } from './support/cloud-clusters.ts';
import { startWithEnvironment, type EnvironmentFixture } from './support/cloud-region.ts';
import { callApi } from './support/http.ts';
import { createTestDatabase } from './support/postgres.ts';

/** Copies of the environment's account, region, clusters, tokens and events: 2,000 regions of 10 clusters. */
const COPIES = 2_000;
const CLUSTERS = 10;
/** Columns a copy gets its own value of (`<value>-<n>`): keys, and references to copied rows. */
const OWN_VALUE = new Set(['id', 'account_id', 'region_id', 'cluster_id', 'name', 'hash', 'account_name_key']);

let f: EnvironmentFixture | undefined;
let client: pg.Client | undefined;
afterAll(async () => {
  await client?.end();
  await f?.cp.stop();
});

/** Copies the rows of `table` matching `where` COPIES times, each copy pointing at the copied rows of the same number. */
async function copyRows(db: pg.Client, table: string, where: string, params: unknown[], keep: string[] = []): Promise<void> {
  const columns = (
    await db.query<{ column_name: string; data_type: string }>(
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1",
      [table],
    )
  ).rows;
  const names = columns.map((c) => `"${c.column_name}"`).join(', ');
  const values = columns.map((c) =>
    OWN_VALUE.has(c.column_name) && !keep.includes(c.column_name) && c.data_type === 'text' ? `t."${c.column_name}" || '-' || g` : `t."${c.column_name}"`,
  );
  await db.query(
    `INSERT INTO ${table} (${names}) SELECT ${values.join(', ')} FROM ${table} t CROSS JOIN generate_series(1, ${COPIES}) g WHERE ${where}`,
    params,
  );
}

type PlanNode = { 'Node Type': string; 'Relation Name'?: string; Plans?: PlanNode[] };
const nodesOf = (node: PlanNode, type: string): PlanNode[] => [
  ...(node['Node Type'] === type ? [node] : []),
  ...(node.Plans ?? []).flatMap((n) => nodesOf(n, type)),
];

it('runs no sequential scan on the hot paths, and reads a page of a large account in order', async () => {
  const database = await createTestDatabase(inject('postgresUrl'), `hot_paths_${process.pid}_${Math.random().toString(36).slice(2, 8)}`);
  f = await startWithEnvironment(database);
  const { cp, agent, environmentId, options } = f;
  const clusters = createClient(clusterV1.ClusterService, createConnectTransport({ baseUrl: cp.url, httpVersion: '1.1' }));
  const made = [];
  for (let i = 0; i < CLUSTERS; i++)
    made.push((await clusters.createCluster({ cluster: clusterInit(cp.accountId, environmentId, `c${i}`) }, options)).cluster!);
  client = new pg.Client({ connectionString: database });
  await client.connect();
  await copyRows(client, 'accounts', 'id = $1', [cp.accountId]);
  await copyRows(client, 'regions', 'id = $1', [environmentId]);
  // The copied clusters stay in the first account: a large account, whose clusters ListClusters pages through.
  await copyRows(client, 'clusters', 'region_id = $1', [environmentId], ['account_id']);
  await copyRows(client, 'tokens', 'region_id = $1', [environmentId]);
  await copyRows(client, 'cluster_events', 'cluster_id IN (SELECT id FROM clusters WHERE region_id = $1)', [environmentId]);
  await client.query('ANALYZE');

  const statements = new Map<string, readonly unknown[]>();
  cp.store.db.stats.onQuery = (text, parameters) => statements.set(text, parameters);
  const asAgent = { headers: { authorization: `Bearer ${agent}` } };
  const { revision } = (await callApi(cp.url, 'GET', '/agent/v1/desired-state', asAgent)).json as { revision: number };
  expect((await callApi(cp.url, 'GET', `/agent/v1/desired-state?after=${revision}&waitSeconds=0`, asAgent)).status).toBe(204);
  const report = { appliedRevision: revision, region: { phase: 'Ready' }, clusters: made.map((c) => ({ id: c.id, phase: 'Healthy', nodesReady: 3 })) };
  expect((await callApi(cp.url, 'POST', '/agent/v1/status', { ...asAgent, body: report })).status).toBe(204);
  await clusters.getCluster({ accountId: cp.accountId, clusterId: made[0]!.id }, options);
  expect((await clusters.listClusters({ accountId: cp.accountId }, options)).items.length).toBeGreaterThanOrEqual(CLUSTERS);
  cp.store.db.stats.onQuery = undefined;

  // A table small here may be large in a deployment.
  await client.query('SET enable_seqscan = off');
  const scanned: string[] = [];
  for (const [text, parameters] of statements) {
    if (!/^\s*(select|update|delete)\b/i.test(text) || /pg_notify|pg_advisory/.test(text)) continue;
    const plan = (await client.query(`EXPLAIN (FORMAT JSON) ${text}`, [...parameters])).rows[0]['QUERY PLAN'][0].Plan as PlanNode;
    for (const scan of nodesOf(plan, 'Seq Scan')) scanned.push(`${scan['Relation Name']}: ${text}`);
    // A page of a large account's clusters is read in order, not sorted out of all of them.
    if (/^select .* from "clusters" .* limit /.test(text) && nodesOf(plan, 'Sort').length > 0) scanned.push(`sorted: ${text}`);
  }
  expect(statements.size).toBeGreaterThan(10);
  expect(scanned).toEqual([]);
});
