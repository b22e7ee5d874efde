// An older qhc against a newer control plane: records with fields this qhc does not know are
// read, printed as sent (-o json|yaml), and written back as sent, changed only where the
// command changes them; a backup whose status does not parse costs only its status.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { clusterRecord, qhc, regionRecord, stubControlPlane } from './support.ts';

const TOKEN = 'qhc_u_contract-test-token-0123456789';

/** What a newer control plane answers with: unknown fields at the top, in the spec and in the status. */
function newerRegion() {
  const base = regionRecord('r');
  return { ...base, spec: { ...base.spec, futureSpecField: { level: 2 } }, appliedRevision: 1, futureTopField: 'x' };
}
function newerCluster() {
  const base = clusterRecord('c', 'r');
  return { ...base, spec: { ...base.spec, futureSpecField: ['a'] }, status: { phase: 'Healthy', nodesReady: 1, nodeStatus: { p0: { futureNodeField: 1 } } } };
}
const backup = (name: string, status: unknown) => ({
  kind: 'QdrantClusterSnapshot',
  name,
  clusterId: 'c',
  spec: { 'cluster-id': 'c' },
  origin: 'region',
  status,
});

let region = newerRegion();
let cluster = newerCluster();
const puts: Array<{ path: string; body: unknown }> = [];

/** Serves the records; a PUT replaces the spec, and the cluster is Healthy at its new size at once. */
function answer(method: string | undefined, path: string, body: unknown) {
  if (method === 'PUT') puts.push({ path, body });
  if (path === '/api/v1/regions') return { items: [region] };
  if (path === '/api/v1/regions/r') {
    if (method === 'PUT') region = { ...region, spec: body as typeof region.spec, revision: region.revision + 1 };
    return { ...region, appliedRevision: region.revision, lastSeenAt: new Date().toISOString() };
  }
  if (path === '/api/v1/regions/r/clusters') return { items: [cluster] };
  if (path === '/api/v1/regions/r/clusters/c') {
    if (method === 'PUT') cluster = { ...cluster, spec: (body as { spec: typeof cluster.spec }).spec };
    return { ...cluster, status: { ...cluster.status, nodesReady: (cluster.spec as { size?: number }).size } };
  }
  if (path === '/api/v1/regions/r/backups') return { items: [backup('b-null', null), backup('b-number', 42), backup('b-good', { phase: 'Succeeded' })] };
  return undefined;
}

let server: { url: string; close(): Promise<void> };
beforeAll(async () => {
  server = await stubControlPlane((req, u, body) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return { status: 401, body: { message: 'no' } };
    const found = answer(req.method, u.pathname, body);
    return found && { status: 200, body: found };
  });
});
afterAll(() => server.close());
beforeEach(() => {
  region = newerRegion();
  cluster = newerCluster();
  puts.length = 0;
});

const run = (args: string[]) =>
  qhc(args, { QHC_URL: server.url, QHC_TOKEN: TOKEN, QHC_CONTEXT: undefined, XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'qhc-xdg-')) });

describe('reading a newer control plane', () => {
  it('status, region list/get and cluster list/get read records with unknown fields', async () => {
    for (const args of [
      ['status'],
      ['region', 'list'],
      ['region', 'get', 'r'],
      ['cluster', 'list', '--region', 'r'],
      ['cluster', 'get', 'c', '--region', 'r'],
    ]) {
      const answered = await run(args);
      expect([answered.code, answered.stderr], args.join(' ')).toEqual([0, '']);
      expect(answered.stdout, args.join(' ')).toMatch(/\br\b|\bc\b/);
    }
  });

  it('-o json and -o yaml print the answers as sent', async () => {
    const regionJson = await run(['region', 'get', 'r', '-o', 'json']);
    expect(JSON.parse(regionJson.stdout)).toEqual({ ...newerRegion(), appliedRevision: 1, lastSeenAt: expect.any(String) });
    const regions = await run(['region', 'list', '-o', 'json']);
    expect(JSON.parse(regions.stdout)).toEqual({ items: [newerRegion()] });
    const clusterYaml = await run(['cluster', 'get', 'c', '--region', 'r', '-o', 'yaml']);
    expect(parse(clusterYaml.stdout)).toEqual(newerCluster());
    const backups = await run(['backup', 'list', '--region', 'r', '-o', 'json']);
    expect((JSON.parse(backups.stdout) as { items: unknown[] }).items).toEqual([
      backup('b-null', null),
      backup('b-number', 42),
      backup('b-good', { phase: 'Succeeded' }),
    ]);
  });
});

describe('writing back to a newer control plane', () => {
  it('region update sends the spec as answered, with only the changed field', async () => {
    const updated = await run(['region', 'update', 'r', '--agent-version', '0.2.0', '-o', 'name']);
    expect([updated.code, updated.stderr]).toEqual([0, '']);
    expect(puts).toEqual([{ path: '/api/v1/regions/r', body: { ...newerRegion().spec, agentVersion: '0.2.0' } }]);
  });

  it('cluster scale --wait sends the spec as answered with the new size, and waits on the records', async () => {
    const scaled = await run(['cluster', 'scale', 'c', '--region', 'r', '--replicas', '3', '--wait', '--timeout', '30s', '-o', 'json']);
    expect(scaled.code, scaled.stderr).toBe(0);
    expect(puts).toEqual([{ path: '/api/v1/regions/r/clusters/c', body: { spec: { ...newerCluster().spec, size: 3 } } }]);
    expect(JSON.parse(scaled.stdout)).toMatchObject({ spec: { size: 3, futureSpecField: ['a'] }, status: { nodesReady: 3 } });
  });
});

describe('backup list', () => {
  it('shows every backup when some statuses do not parse, those without a status', async () => {
    const listed = await run(['backup', 'list', '--region', 'r']);
    expect(listed.code).toBe(0);
    const rows = listed.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(/\s+/).slice(0, 3));
    expect(rows).toEqual([
      ['b-null', 'c', 'Pending'],
      ['b-number', 'c', 'Pending'],
      ['b-good', 'c', 'Succeeded'],
    ]);
    expect(listed.stderr).toContain('the status of b-number does not parse');
  });
});
