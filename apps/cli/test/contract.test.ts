// qhc against the control plane's Cloud API (a stand-in serving the services over Connect):
// answers are printed as the API's proto JSON (-o json|yaml), a change sends the
// configuration as answered with only what the command changes, and errors print the
// server's message with the gRPC code.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create, toJson, type JsonObject } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError } from '@connectrpc/connect';
import { backupV1, clusterV1, hybridV1, qhcV1 } from '@qhc/cloud-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACCOUNT_ID, cloudEnv, clusterFixture, environmentFixture, qhc, stubCloudApi, uuid } from './support.ts';

const ENV_ID = uuid(1);
const CLUSTER_ID = uuid(2);

/** Settings qhc's commands never touch: they must come back exactly as answered. */
function answeredEnvironment() {
  return environmentFixture('r', ENV_ID, {
    httpProxyUrl: 'http://proxy:3128',
    noProxyConfigs: ['10.0.0.0/8', '.internal'],
    databaseStorageClass: 'fast',
    nodeSelector: [{ key: 'pool', value: 'db' }],
  });
}
function answeredCluster() {
  const c = clusterFixture('c', CLUSTER_ID, ENV_ID, {
    databaseConfiguration: { collection: { replicationFactor: 2 } },
    allowedIpSourceRanges: ['10.1.0.0/16'],
    reservedCpuPercentage: 20,
  });
  c.state = create(clusterV1.ClusterStateSchema, { phase: clusterV1.ClusterPhase.HEALTHY, nodesUp: 1, version: 'v1.16.2' });
  return c;
}
const backup = (name: string, status: backupV1.BackupStatus) =>
  create(backupV1.BackupSchema, { id: uuid(100 + status), accountId: ACCOUNT_ID, clusterId: CLUSTER_ID, displayName: name, status });
// 42: a status a newer control plane knows and this qhc does not.
const BACKUPS = [
  backup('b-running', backupV1.BackupStatus.RUNNING),
  backup('b-newer-status', 42 as backupV1.BackupStatus),
  backup('b-good', backupV1.BackupStatus.SUCCEEDED),
];

let environment = answeredEnvironment();
let cluster = answeredCluster();
const sent: Array<{ rpc: string; body: JsonObject }> = [];

let server: { url: string; close(): Promise<void> };
beforeAll(async () => {
  server = await stubCloudApi((router) => {
    router.service(hybridV1.HybridCloudService, {
      listHybridCloudEnvironments: () => ({ items: [environment] }),
      updateHybridCloudEnvironment: (req) => {
        sent.push({ rpc: 'UpdateHybridCloudEnvironment', body: toJson(hybridV1.HybridCloudEnvironmentSchema, req.hybridCloudEnvironment!) as JsonObject });
        environment = req.hybridCloudEnvironment!;
        return { hybridCloudEnvironment: environment };
      },
      createHybridCloudEnvironment: () => {
        throw new ConnectError('hybrid_cloud_environment.name: must be 4 to 64 characters', Code.InvalidArgument);
      },
    });
    router.service(qhcV1.EnvironmentAgentService, {
      updateEnvironmentVersions: (req) => {
        sent.push({ rpc: 'UpdateEnvironmentVersions', body: toJson(qhcV1.UpdateEnvironmentVersionsRequestSchema, req) as JsonObject });
        return {};
      },
      getEnvironmentHealth: () => ({ health: { revision: 1n, appliedRevision: 1n, lastSeenAt: timestampFromMs(Date.now() + 2000) } }),
    });
    router.service(clusterV1.ClusterService, {
      listClusters: (req) => ({ items: req.cloudProviderRegionId === ENV_ID ? [cluster] : [] }),
      getCluster: () => ({ cluster }),
      updateCluster: (req) => {
        sent.push({ rpc: 'UpdateCluster', body: toJson(clusterV1.ClusterSchema, req.cluster!) as JsonObject });
        // Healthy at the new size at once.
        cluster = create(clusterV1.ClusterSchema, { ...req.cluster!, state: { ...cluster.state!, nodesUp: req.cluster!.configuration!.numberOfNodes } });
        return { cluster };
      },
    });
    router.service(backupV1.BackupService, { listBackups: () => ({ items: BACKUPS }) });
  });
});
afterAll(() => server.close());
beforeEach(() => {
  environment = answeredEnvironment();
  cluster = answeredCluster();
  sent.length = 0;
});

const run = (args: string[], key?: string) => qhc(args, cloudEnv(server.url, key));

describe('reading the Cloud API', () => {
  it('status, region list/get and cluster list/get read the answers, by name or by id', async () => {
    for (const args of [
      ['region', 'list'],
      ['region', 'get', 'r'],
      ['region', 'get', ENV_ID],
      ['cluster', 'list', '--region', 'r'],
      ['cluster', 'get', 'c', '--region', 'r'],
      ['cluster', 'get', CLUSTER_ID, '--region', ENV_ID],
    ]) {
      const answered = await run(args);
      expect([answered.code, answered.stderr], args.join(' ')).toEqual([0, '']);
      expect(answered.stdout, args.join(' ')).toMatch(/\br\b|\bc\b/);
    }
    const status = await run(['status']);
    expect([status.code, status.stderr]).toEqual([0, '']);
    expect(status.stdout).toMatch(/^r\s+UNSPECIFIED\s+<unknown>\s+<unknown>\s+1\/1\s+/m);
  });

  it("-o json and -o yaml print the answers as the API's proto JSON", async () => {
    const regionJson = await run(['region', 'get', 'r', '-o', 'json']);
    expect(JSON.parse(regionJson.stdout)).toEqual(toJson(hybridV1.HybridCloudEnvironmentSchema, answeredEnvironment()));
    const regions = await run(['region', 'list', '-o', 'json']);
    expect(JSON.parse(regions.stdout)).toEqual({ items: [toJson(hybridV1.HybridCloudEnvironmentSchema, answeredEnvironment())] });
    const clusterYaml = await run(['cluster', 'get', 'c', '--region', 'r', '-o', 'yaml']);
    expect(parse(clusterYaml.stdout)).toEqual(toJson(clusterV1.ClusterSchema, answeredCluster()));
    const backups = await run(['backup', 'list', '--region', 'r', '-o', 'json']);
    expect((JSON.parse(backups.stdout) as { items: unknown[] }).items).toEqual(BACKUPS.map((b) => toJson(backupV1.BackupSchema, b)));
  });
});

describe('writing back to the Cloud API', () => {
  it("region update -f sends the configuration as answered, with only the file's field; versions go to qhc.v1", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'qhc-region-')), 'mirror.yaml');
    writeFileSync(file, 'containerRegistryUrl: https://registry.internal/qhc/\n');
    const updated = await run(['region', 'update', 'r', '-f', file, '--agent-version', '0.2.0', '-o', 'name']);
    expect([updated.code, updated.stderr]).toEqual([0, '']);
    const { status: _status, ...answered } = toJson(hybridV1.HybridCloudEnvironmentSchema, answeredEnvironment()) as JsonObject;
    expect(sent).toEqual([
      {
        rpc: 'UpdateHybridCloudEnvironment',
        body: { ...answered, configuration: { ...(answered.configuration as JsonObject), containerRegistryUrl: 'https://registry.internal/qhc/' } },
      },
      { rpc: 'UpdateEnvironmentVersions', body: { accountId: ACCOUNT_ID, hybridCloudEnvironmentId: ENV_ID, agentVersion: '0.2.0' } },
    ]);
  });

  it('cluster scale --wait sends the configuration as answered with the new size, and waits for the cluster', async () => {
    const scaled = await run(['cluster', 'scale', 'c', '--region', 'r', '--replicas', '3', '--wait', '--timeout', '30s', '-o', 'json']);
    expect(scaled.code, scaled.stderr).toBe(0);
    const { state: _state, ...answered } = toJson(clusterV1.ClusterSchema, answeredCluster()) as JsonObject;
    expect(sent).toEqual([{ rpc: 'UpdateCluster', body: { ...answered, configuration: { ...(answered.configuration as JsonObject), numberOfNodes: 3 } } }]);
    expect(JSON.parse(scaled.stdout)).toMatchObject({ configuration: { numberOfNodes: 3, reservedCpuPercentage: 20 }, state: { nodesUp: 3 } });
  });
});

describe('errors and backups', () => {
  it("print the server's message with the gRPC code; a wrong key says so; nothing is sent on a refused change", async () => {
    const refused = await run(['region', 'create', 'r', '--namespace', 'qhc']);
    expect([refused.code, refused.stderr]).toEqual([2, 'error: hybrid_cloud_environment.name: must be 4 to 64 characters (INVALID_ARGUMENT)\n']);
    const wrongKey = await run(['region', 'list'], 'qhc_m_wrong');
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain(
      'the control plane refused the management key of context "(environment)": the management key is not valid (UNAUTHENTICATED)',
    );
    const missing = await run(['cluster', 'get', 'nope', '--region', 'r']);
    expect([missing.code, missing.stderr]).toEqual([3, 'error: cluster "nope" does not exist in region r\nhint: see `qhc cluster list --region r`\n']);
    const nothing = await run(['cluster', 'expose', 'c', '--region', 'r']);
    expect(nothing.code).toBe(2);
    expect(sent).toEqual([]);
  });

  it('backup list shows every backup, a status this qhc does not know as its number', async () => {
    const listed = await run(['backup', 'list', '--region', 'r']);
    expect(listed.code, listed.stderr).toBe(0);
    const rows = listed.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(/\s+/).slice(0, 3));
    expect(rows).toEqual([
      ['b-running', 'c', 'RUNNING'],
      ['b-newer-status', 'c', '42'],
      ['b-good', 'c', 'SUCCEEDED'],
    ]);
  });
});
