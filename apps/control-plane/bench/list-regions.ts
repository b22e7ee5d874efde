// pnpm bench (@qhc/control-plane): the Cloud API's environment list (REST GET
// /api/hybrid/v1/accounts/{account_id}/hybrid-cloud-environments) latency once the agent has stored the
// largest and deepest report the contract allows (issue 19: a 4,000-deep report made each list
// cost ~0.5 s of CPU). Also times the refusal of a 4,000-deep report. Not a test: one table, a row
// each, written as JSON too (@qhc/bench).
//   node bench/list-regions.ts [requests=200]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBenchTable } from '@qhc/bench';
import { createLogger } from '@qhc/kube';
import { startControlPlane } from '../src/index.ts';

const KEY = 'qhc_m_bench-management-key-0123456789';
const REQUESTS = Number(process.argv[2]) > 0 ? Number(process.argv[2]) : 200;
const dir = mkdtempSync(join(tmpdir(), 'qhc-bench-'));
const cp = await startControlPlane({
  database: join(dir, 'cp.db'),
  port: 0,
  managementKey: KEY,
  logger: createLogger({ level: 'error' }),
  publicUrl: 'https://cp.example.test',
});
const call = async (method: string, path: string, body?: unknown, authorization = `apikey ${KEY}`) => {
  const res = await fetch(new URL(path, cp.url), {
    method,
    headers: { authorization, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
};
const deep = (levels: number): unknown => {
  let value: unknown = 'x';
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};
const percentile = (samples: number[], p: number) => samples.toSorted((a, b) => a - b)[Math.min(samples.length - 1, Math.floor(samples.length * p))]!;

const environments = `/api/hybrid/v1/accounts/${cp.accountId}/hybrid-cloud-environments`;
const created = JSON.parse((await call('POST', environments, { hybridCloudEnvironment: { name: 'r', configuration: { namespace: 'ns-r' } } })).text) as {
  hybridCloudEnvironment: { id: string };
};
const bootstrap = JSON.parse((await call('POST', `${environments}/${created.hybridCloudEnvironment.id}/bootstrap-commands`, {})).text) as { accessKey: string };
const registered = await call('POST', '/agent/v1/register', undefined, `Bearer ${bootstrap.accessKey}`);
const agent = `Bearer ${(JSON.parse(registered.text) as { token: string }).token}`;

// The region status a list returns, as large as allowed: 30 conditions of ~30 KB (the 1 MiB body);
// and resources as deep as allowed (a Kubernetes status: 24 levels).
const conditions = Array.from({ length: 30 }, (_, i) => ({ type: `T${i}`, status: 'True', message: 'x'.repeat(30_000) }));
const resources = Array.from({ length: 20 }, (_, i) => ({ kind: 'QdrantClusterSnapshot', name: `b${i}`, status: deep(22) }));
const stored = await call('POST', '/agent/v1/status', { region: { phase: 'Ready', conditions }, clusters: [], resources }, agent);
if (stored.status !== 204) throw new Error(`the report was refused: ${stored.text}`);
let started = performance.now();
const refused = await call(
  'POST',
  '/agent/v1/status',
  { region: { phase: 'Ready' }, clusters: [], resources: [{ kind: 'QdrantClusterSnapshot', name: 'b', status: deep(4000) }] },
  agent,
);
const refusedMs = performance.now() - started;

const samples: number[] = [];
for (let i = 0; i < REQUESTS; i++) {
  started = performance.now();
  const listed = await call('GET', environments);
  samples.push(performance.now() - started);
  if (listed.status !== 200) throw new Error(`the list answered ${listed.status}: ${listed.text.slice(0, 300)}`);
}
await cp.stop();
rmSync(dir, { recursive: true, force: true });
writeBenchTable({
  component: 'control-plane-list-regions',
  title: 'the environment list after the largest allowed agent report, and the refusal of a 4,000-deep one (SQLite)',
  columns: [
    { key: 'call', header: 'call' },
    { key: 'requests', header: 'requests' },
    { key: 'status', header: 'HTTP status' },
    { key: 'p50Ms', header: 'p50 (ms)' },
    { key: 'p99Ms', header: 'p99 (ms)' },
  ],
  rows: [
    { call: 'POST /agent/v1/status, 4,000 levels deep (refused)', requests: 1, status: refused.status, p50Ms: refusedMs, p99Ms: refusedMs },
    { call: 'GET hybrid-cloud-environments (REST)', requests: samples.length, status: 200, p50Ms: percentile(samples, 0.5), p99Ms: percentile(samples, 0.99) },
  ],
  context: { 'stored report': '30 conditions of 30 KB, 20 resources 24 levels deep', 'report stored with': stored.status },
});
