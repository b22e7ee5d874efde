// The Cloud API as scripts call it: the `curl` binary, a management key in `authorization`, on a
// REST route (from the protos' google.api.http options) and on a Connect route with JSON. Both
// answer the proto JSON of the generated schemas (fromJson refuses anything else); a wrong key
// is refused with 401 / unauthenticated.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fromJson, type JsonValue } from '@bufbuild/protobuf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterV1, hybridV1 } from '@qhc/cloud-api';
import { createLoopbackTls, type LoopbackTls } from '@qhc/kube-sandbox';
import type { RunningControlPlane } from '@qhc/control-plane';
import { DEFAULT_PACKAGES } from '@qhc/schemas';
import { cloudClients, startCloudControlPlane } from './support/cloud-region.ts';

const MANAGEMENT_KEY = 'qhc_m_e2e-management-key-curl-0123456789';
const WRONG_KEY = 'qhc_m_e2e-not-a-management-key-0123456789';
let tls: LoopbackTls;
let cp: RunningControlPlane;
let environmentId = '';
let clusterId = '';

interface CurlAnswer {
  status: number;
  body: string;
}

/** curl trusting the test CA, bypassing any proxy of the machine; the status on the last line. */
async function curl(key: string, path: string, extra: string[] = []): Promise<CurlAnswer> {
  const args = ['-sS', '--noproxy', '*', '--cacert', tls.caPath, '-H', `authorization: apikey ${key}`, '-w', '\n%{http_code}', ...extra, `${cp.url}${path}`];
  const { stdout } = await promisify(execFile)('curl', args, { encoding: 'utf8' });
  const cut = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
}

const restList = (key: string) => curl(key, `/api/hybrid/v1/accounts/${cp.accountId}/hybrid-cloud-environments`);
const connectList = (key: string) =>
  curl(key, '/qdrant.cloud.cluster.v1.ClusterService/ListClusters', [
    '-X',
    'POST',
    '-H',
    'content-type: application/json',
    '--data',
    JSON.stringify({ accountId: cp.accountId }),
  ]);

beforeAll(async () => {
  tls = await createLoopbackTls(mkdtempSync(join(tmpdir(), 'qhc-tls-')), 'qhc-control-plane');
  const database = join(mkdtempSync(join(tmpdir(), 'qhc-cp-')), 'control-plane.db');
  cp = await startCloudControlPlane({ database, port: 0, tls, managementKey: MANAGEMENT_KEY });
  // Something to list, made over gRPC.
  const api = cloudClients(cp.url, tls.ca);
  const headers = { authorization: `apikey ${MANAGEMENT_KEY}` };
  const env = await api.hybrid.createHybridCloudEnvironment(
    { hybridCloudEnvironment: { accountId: cp.accountId, name: 'curled', configuration: { namespace: 'qhc-curled' } } },
    { headers },
  );
  environmentId = env.hybridCloudEnvironment!.id;
  const configuration = { numberOfNodes: 1, version: 'v1.16.3', packageId: DEFAULT_PACKAGES[0]!.id };
  const cluster = { accountId: cp.accountId, name: 'curled', cloudProviderId: 'hybrid', cloudProviderRegionId: environmentId, configuration };
  clusterId = (await api.clusters.createCluster({ cluster }, { headers })).cluster!.id;
});
afterAll(async () => {
  await cp?.stop();
});

describe('curl with a management key', () => {
  it('GET on the REST route answers ListHybridCloudEnvironmentsResponse in proto JSON', async () => {
    const answer = await restList(MANAGEMENT_KEY);
    expect(answer.status, answer.body).toBe(200);
    const listed = fromJson(hybridV1.ListHybridCloudEnvironmentsResponseSchema, JSON.parse(answer.body) as JsonValue);
    expect(listed.items.map((e) => [e.id, e.name, e.accountId, e.configuration?.namespace])).toEqual([[environmentId, 'curled', cp.accountId, 'qhc-curled']]);
  });

  it('POST JSON on the Connect route answers ListClustersResponse in proto JSON', async () => {
    const answer = await connectList(MANAGEMENT_KEY);
    expect(answer.status, answer.body).toBe(200);
    const listed = fromJson(clusterV1.ListClustersResponseSchema, JSON.parse(answer.body) as JsonValue);
    expect(listed.items.map((c) => [c.id, c.name, c.cloudProviderRegionId, c.configuration?.numberOfNodes])).toEqual([[clusterId, 'curled', environmentId, 1]]);
  });
});

describe('curl with a wrong key', () => {
  it('the REST route answers 401', async () => {
    const answer = await restList(WRONG_KEY);
    expect(answer.status).toBe(401);
    expect(answer.body).not.toContain(environmentId);
  });

  it('the Connect route answers 401 with the Connect code unauthenticated', async () => {
    const answer = await connectList(WRONG_KEY);
    expect(answer.status).toBe(401);
    expect((JSON.parse(answer.body) as { code: string }).code).toBe('unauthenticated');
    expect(answer.body).not.toContain(clusterId);
  });
});
