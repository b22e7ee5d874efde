// pnpm bench (@qhc/control-plane): the Cloud API's environment list (REST GET
// /api/hybrid/v1/accounts/{account_id}/hybrid-cloud-environments) latency once the agent has stored the
// largest and deepest report the contract allows (issue 19: a 4,000-deep report made each list
// cost ~0.5 s of CPU). Also times the refusal of a 4,000-deep report. Not a test: one JSON line each.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@qhc/kube';
import { startControlPlane } from '../src/index.ts';

const KEY = 'qhc_m_bench-management-key-0123456789';
const cp = await startControlPlane({
  database: join(mkdtempSync(join(tmpdir(), 'qhc-bench-')), 'cp.db'),
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
console.log(JSON.stringify({ bench: 'refuse a 4,000-deep report', status: refused.status, ms: +(performance.now() - started).toFixed(2) }));

const samples: number[] = [];
for (let i = 0; i < 200; i++) {
  started = performance.now();
  await call('GET', environments);
  samples.push(performance.now() - started);
}
console.log(
  JSON.stringify({
    bench: 'GET hybrid-cloud-environments (REST) after the largest allowed report',
    stored: stored.status,
    requests: samples.length,
    p50Ms: +percentile(samples, 0.5).toFixed(2),
    p99Ms: +percentile(samples, 0.99).toFixed(2),
  }),
);
await cp.stop();
