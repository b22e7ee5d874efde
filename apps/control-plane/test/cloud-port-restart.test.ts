// api-regions.test.ts's restart on the Cloud API: a control plane stopped and started again on the
// same database answers the same environments, clusters and backups, and ran its migrations once.
import { createClient } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-node';
import { backupV1, clusterV1, hybridV1 } from '@qhc/cloud-api';
import { createLogger } from '@qhc/kube';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../src/db/migrations.ts';
import { startControlPlane, type RunningControlPlane } from '../src/index.ts';
import { databaseFor, MANAGEMENT_KEY, TEST_SECRETS, type Dialect } from './support/cloud.ts';
import { clusterInit } from './support/cloud-clusters.ts';
import { sqlOn } from './support/sql.ts';

const options = { headers: { authorization: `apikey ${MANAGEMENT_KEY}` } };
const start = (database: string) =>
  startControlPlane({ database, port: 0, managementKey: MANAGEMENT_KEY, secrets: TEST_SECRETS, logger: createLogger({ level: 'error' }), console: false });

function clients(cp: RunningControlPlane) {
  const transport = createConnectTransport({ baseUrl: cp.url, httpVersion: '1.1' });
  return {
    hybrid: createClient(hybridV1.HybridCloudService, transport),
    clusters: createClient(clusterV1.ClusterService, transport),
    backups: createClient(backupV1.BackupService, transport),
  };
}

/** Everything the account holds, as the Cloud API answers it. */
async function answers(cp: RunningControlPlane) {
  const { hybrid, clusters, backups } = clients(cp);
  const accountId = cp.accountId;
  return {
    environments: (await hybrid.listHybridCloudEnvironments({ accountId }, options)).items,
    clusters: (await clusters.listClusters({ accountId }, options)).items,
    backups: (await backups.listBackups({ accountId }, options)).items,
  };
}

const running: RunningControlPlane[] = [];
afterAll(async () => {
  for (const cp of running) await cp.stop();
});

describe.each(['sqlite', 'postgres'] as const)('a restart on %s', (dialect: Dialect) => {
  it('restarted on the same database, it has lost nothing; migrations run once', async () => {
    const database = await databaseFor(dialect);
    const first = await start(database);
    running.push(first);
    const { hybrid, clusters, backups } = clients(first);
    const accountId = first.accountId;
    const env = (
      await hybrid.createHybridCloudEnvironment({ hybridCloudEnvironment: { accountId, name: 'kept', configuration: { namespace: 'qhc' } } }, options)
    ).hybridCloudEnvironment!;
    const cluster = (await clusters.createCluster({ cluster: clusterInit(accountId, env.id, 'kept-cluster') }, options)).cluster!;
    await backups.createBackup({ backup: { accountId, clusterId: cluster.id, displayName: 'kept-backup' } }, options);
    const before = await answers(first);
    expect([before.environments.length, before.clusters.length, before.backups.length]).toEqual([1, 1, 1]);
    await first.stop();
    running.pop();

    const second = await start(database);
    running.push(second);
    expect(second.accountId).toBe(accountId);
    expect(await answers(second)).toEqual(before);
    const versions = await sqlOn(second.store.db).all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(versions.map((v) => Number(v.version))).toEqual(MIGRATIONS.map((m) => m.version));
  });
});
