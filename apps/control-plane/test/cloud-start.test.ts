// The first start of the Cloud API: one account (the same for replicas starting together and
// across restarts), a management key made and shown once or the operator's own, and the
// OpenAPI document of the REST routes (the retired /api/v1's is gone).
import { createLogger } from '@qhc/kube';
import { describe, expect, it } from 'vitest';
import { parseClusterInput, parseRegionInput } from '../src/api/inputs.ts';
import { PERMISSIONS } from '../src/iam/permissions.ts';
import { startControlPlane, type RunningControlPlane } from '../src/index.ts';
import { callApi } from './support/http.ts';
import { cloudPlane, databaseFor, TEST_SECRETS, type Dialect } from './support/cloud.ts';
import { sqlOn } from './support/sql.ts';

const ENV = '/api/qhc/v1/accounts/{account_id}/hybrid-cloud-environments/{hybrid_cloud_environment_id}';

const start = (database: string, managementKey?: string) =>
  startControlPlane({
    database,
    port: 0,
    secrets: TEST_SECRETS,
    logger: createLogger({ level: 'error' }),
    console: false,
    ...(managementKey ? { managementKey } : {}),
  });

async function stopAll(planes: RunningControlPlane[]) {
  await Promise.all(planes.map((p) => p.stop()));
}

describe.each(['sqlite', 'postgres'] as const)('first start on %s', (dialect: Dialect) => {
  it('makes one account and a key that works, shown once: a restart shows none and keeps the account', async () => {
    const database = await databaseFor(dialect);
    const first = await start(database);
    const key = first.generatedManagementKey!;
    expect(key).toMatch(/^qhc_m_/);
    const listed = await callApi(first.url, 'GET', `/api/auth/v1/accounts/${first.accountId}/management-keys`, { headers: { authorization: `apikey ${key}` } });
    expect([listed.status, listed.json.items.length]).toEqual([200, 1]);
    // The installer's key is its account's Owner: it holds every permission.
    const held = await callApi(first.url, 'GET', `/api/iam/v1/accounts/${first.accountId}/effective-permissions`, {
      headers: { authorization: `apikey ${key}` },
    });
    expect(held.json.permissions.map((p: { value: string }) => p.value).toSorted()).toEqual([...PERMISSIONS].toSorted());
    await first.stop();
    const again = await start(database);
    try {
      expect([again.accountId, again.generatedManagementKey]).toEqual([first.accountId, undefined]);
    } finally {
      await again.stop();
    }
  });
});

// Replicas share a PostgreSQL database (SQLite is one process's file).
describe('replicas on postgres', () => {
  it('gives replicas starting together one account, and accepts the operator key each was given', async () => {
    const database = await databaseFor('postgres');
    const key = 'qhc_m_operator-chosen-key-0123456789';
    const planes = await Promise.all([start(database, key), start(database, key)]);
    try {
      expect(planes[0]!.accountId).toBe(planes[1]!.accountId);
      expect(planes.map((p) => p.generatedManagementKey)).toEqual([undefined, undefined]);
      const db = sqlOn(planes[0]!.store.db);
      expect(await db.all('SELECT prefix FROM management_keys')).toEqual([{ prefix: 'qhc_m_operat' }]);
      expect(await db.all('SELECT r.name FROM management_key_roles kr JOIN roles r ON r.id = kr.role_id')).toEqual([{ name: 'Owner' }]);
      expect(await db.all('SELECT id FROM accounts')).toEqual([{ id: planes[0]!.accountId }]);
    } finally {
      await stopAll(planes);
    }
  });
});

/** Every REST route of the served services, in the order of the services and their rpcs. */
const REST_PATHS = [
  '/api/auth/v1/accounts/{account_id}/management-keys',
  '/api/auth/v1/accounts/{management_key.account_id}/management-keys',
  '/api/auth/v1/accounts/{account_id}/management-keys/{management_key_id}',
  '/api/cluster/v1/accounts/{account_id}/clusters',
  '/api/cluster/v1/accounts/{account_id}/clusters/{cluster_id}',
  '/api/cluster/v1/accounts/{account_id}/clusters/{cluster_id}/downscale-risk',
  '/api/cluster/v1/accounts/{cluster.account_id}/clusters',
  '/api/cluster/v1/accounts/{account_id}/backups/{backup_id}/clusters',
  '/api/cluster/v1/accounts/{cluster.account_id}/clusters/{cluster.id}',
  '/api/cluster/v1/accounts/{account_id}/clusters/{cluster_id}/restart',
  '/api/cluster/v1/accounts/{account_id}/clusters/{cluster_id}/suspend',
  '/api/cluster/v1/accounts/{account_id}/clusters/{cluster_id}/unsuspend',
  '/api/cluster/v1/accounts/{account_id}/clusters/{cluster_id}/enable-jwt',
  '/api/cluster/v1/accounts/{account_id}/clusters/suggest-name',
  '/api/cluster/v1/accounts/{account_id}/releases',
  '/api/cluster/v1/accounts/{account_id}/releases/{version}',
  '/api/booking/v1/accounts/{account_id}/packages',
  '/api/booking/v1/accounts/{account_id}/packages/{id}',
  '/api/booking/v1/packages',
  '/api/booking/v1/accounts/{account_id}/quote',
  '/api/booking/v1/accounts/{account_id}/backup-quote',
  '/api/booking/v1/accounts/{account_id}/inference-models',
  '/api/booking/v1/accounts/{account_id}/storage-tiers',
  '/api/hybrid/v1/accounts/{account_id}/hybrid-cloud-environments',
  '/api/hybrid/v1/accounts/{account_id}/hybrid-cloud-environments/{hybrid_cloud_environment_id}',
  '/api/hybrid/v1/accounts/{hybrid_cloud_environment.account_id}/hybrid-cloud-environments',
  '/api/hybrid/v1/accounts/{hybrid_cloud_environment.account_id}/hybrid-cloud-environments/{hybrid_cloud_environment.id}',
  '/api/hybrid/v1/accounts/{account_id}/hybrid-cloud-environments/{hybrid_cloud_environment_id}/bootstrap-commands',
  '/api/cluster/backup/v1/accounts/{account_id}/backups',
  '/api/cluster/backup/v1/accounts/{account_id}/backups/{backup_id}',
  '/api/cluster/backup/v1/accounts/{backup.account_id}/backups',
  '/api/cluster/backup/v1/accounts/{backup.account_id}/backups/{backup.id}',
  '/api/cluster/backup/v1/accounts/{account_id}/backup_restores',
  '/api/cluster/backup/v1/accounts/{account_id}/backups/{backup_id}/restore',
  '/api/cluster/backup/v1/accounts/{account_id}/backup_schedules',
  '/api/cluster/backup/v1/accounts/{account_id}/backup_schedules/{backup_schedule_id}',
  '/api/cluster/backup/v1/accounts/{backup_schedule.account_id}/backup_schedules',
  '/api/cluster/backup/v1/accounts/{backup_schedule.account_id}/backup_schedules/{backup_schedule.id}',
  '/api/qhc/v1/session',
  '/api/qhc/v1/session/password',
  '/api/qhc/v1/session/accounts',
  '/api/qhc/v1/session/account',
  `${ENV}/versions`,
  `${ENV}/installation`,
  `${ENV}/agent-tokens`,
  `${ENV}/agent-tokens/{agent_token_id}`,
  `${ENV}/health`,
  `${ENV}/registry-credentials`,
  '/api/qhc/v1/accounts/{account_id}/clusters/{cluster_id}/events',
  '/api/qhc/v1/accounts/{account_id}/clusters/{cluster_id}/pauses',
  '/api/qhc/v1/accounts/{account_id}/clusters/{cluster_id}/pause',
  '/api/qhc/v1/accounts/{account_id}/clusters/{cluster_id}/unpause',
  '/api/qhc/v1/accounts/{account_id}/clusters/{cluster_id}/ingress',
  '/api/cluster/auth/v2/accounts/{account_id}/database-api-keys',
  '/api/cluster/auth/v2/accounts/{database_api_key.account_id}/database-api-keys',
  '/api/cluster/auth/v2/accounts/{account_id}/database-api-keys/{database_api_key_id}',
  '/api/qhc/v1/accounts/{account_id}/audit-events',
  '/api/account/v1/accounts',
  '/api/account/v1/accounts/{account_id}',
  '/api/account/v1/accounts/{account.id}',
  '/api/account/v1/accounts/{account_id}/leave',
  '/api/account/v1/accounts/{account_id}/invites',
  '/api/account/v1/self/invites',
  '/api/account/v1/accounts/{account_id}/invites/{invite_id}',
  '/api/account/v1/accounts/{account_invite.account_id}/invites',
  '/api/account/v1/accounts/{account_id}/invites/{invite_id}/accept',
  '/api/account/v1/accounts/{account_id}/invites/{invite_id}/reject',
  '/api/account/v1/accounts/{account_id}/members',
  '/api/account/v1/accounts/{account_id}/members/{user_id}',
  '/api/account/v1/suggest-company',
  '/api/qhc/v1/sign-up',
  '/api/qhc/v1/accounts/{account_id}/access',
  '/api/qhc/v1/account-requests',
  '/api/qhc/v1/account-requests/{account_id}/approve',
  '/api/qhc/v1/account-requests/{account_id}/reject',
  '/api/qhc/v1/accounts/{account_id}/billing-information',
  '/api/iam/v1/users/me',
  '/api/iam/v1/accounts/{account_id}/users',
  '/api/iam/v1/users/{user.id}',
  '/api/iam/v1/users/{user_id}',
  '/api/iam/v1/users/me/profile',
  '/api/iam/v1/users/me/consent',
  '/api/iam/v1/accounts/{account_id}/permissions',
  '/api/iam/v1/accounts/{account_id}/roles',
  '/api/iam/v1/accounts/{account_id}/roles/{role_id}',
  '/api/iam/v1/accounts/{role.account_id}/roles',
  '/api/iam/v1/accounts/{role.account_id}/roles/{role.id}',
  '/api/iam/v1/accounts/{account_id}/effective-permissions',
  '/api/iam/v1/accounts/{account_id}/users/{user_id}/roles',
  '/api/iam/v1/accounts/{account_id}/roles/{role_id}/users',
  '/api/iam/v1/users/me/logout',
  '/api/iam/v1/users/me/mfa-methods',
  '/api/iam/v1/users/me/mfa-methods/{mfa_method.external_id}',
  '/api/qhc/v1/accounts/{account_id}/management-keys',
  '/api/qhc/v1/accounts/{account_id}/management-keys/{management_key_id}/roles',
  '/api/qhc/v1/accounts/{account_id}/oidc-providers',
  '/api/qhc/v1/accounts/{account_id}/oidc-providers/{oidc_provider_id}',
  '/api/qhc/v1/accounts/{oidc_provider.account_id}/oidc-providers',
  '/api/qhc/v1/accounts/{oidc_provider.account_id}/oidc-providers/{oidc_provider.id}',
  '/api/qhc/v1/sign-in-options',
];

describe('the account of regions', () => {
  const plane = cloudPlane('sqlite', { https: false });

  it('gives regions and clusters made through the store (as /api/v1 made them) the account', async () => {
    const { store } = plane.cp;
    const region = await store.createRegion(
      parseRegionInput({ name: 'r1', namespace: 'ns-r1', agentVersion: '0.1.0', operatorVersion: '0.1.0' }, store.defaults),
    );
    const cluster = { name: 'c1', spec: { version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } } };
    await store.createCluster(region, parseClusterInput(cluster));
    const db = sqlOn(plane.cp.store.db);
    expect(await db.all('SELECT account_id FROM regions UNION ALL SELECT account_id FROM clusters')).toEqual([
      { account_id: plane.cp.accountId },
      { account_id: plane.cp.accountId },
    ]);
  });

  it("serves the REST routes' OpenAPI document at /api/openapi.json; /openapi.json (/api/v1's) is gone", async () => {
    const cloud = await callApi(plane.cp.url, 'GET', '/api/openapi.json');
    expect(cloud.status).toBe(200);
    expect(Object.keys(cloud.json.paths)).toEqual(REST_PATHS);
    const old = await callApi(plane.cp.url, 'GET', '/openapi.json');
    expect([old.status, old.json.error]).toEqual([404, 'NotFound']);
    expect(Object.keys(cloud.json.paths).some((path) => path.startsWith('/api/v1/'))).toBe(false);
  });
});
