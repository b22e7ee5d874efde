import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-node';
import { hybridV1 } from '@qhc/cloud-api';
import { createLogger, type Logger } from '@qhc/kube';
import { expect, vi } from 'vitest';
import { startControlPlane, type ControlPlaneOptions, type RunningControlPlane } from '../../src/index.ts';
import { MANAGEMENT_KEY, TEST_SECRETS } from './cloud.ts';
import { callApi } from './http.ts';

// What the agent-side tests start from: a control plane (plain HTTP, an https public URL for
// the installation commands), environment `r` made through the Cloud API, and its registered agent.

export interface EnvironmentFixture {
  cp: RunningControlPlane;
  environmentId: string;
  /** The registered agent's credential. */
  agent: string;
  hybrid: Client<typeof hybridV1.HybridCloudService>;
  /** Call options with the management key. */
  options: { headers: { authorization: string } };
  /** A new installation command of `r`: its bootstrap token (the previous unused one is revoked). */
  bootstrap(): Promise<string>;
}

/** A control plane on `database` (SQLite when undefined) with environment `r` and its agent registered; `options` override. */
export async function startWithEnvironment(
  database?: string,
  logger: Logger = createLogger({ level: 'error' }),
  options: Partial<ControlPlaneOptions> = {},
): Promise<EnvironmentFixture> {
  const cp = await startControlPlane({
    database: database ?? join(mkdtempSync(join(tmpdir(), 'qhc-cp-')), 'cp.db'),
    port: 0,
    managementKey: MANAGEMENT_KEY,
    secrets: TEST_SECRETS,
    logger,
    publicUrl: 'https://cp.example.test',
    console: false,
    pollIntervalMs: 50,
    ...options,
  });
  const hybrid = createClient(hybridV1.HybridCloudService, createConnectTransport({ baseUrl: cp.url, httpVersion: '1.1' }));
  const auth = { headers: { authorization: `apikey ${MANAGEMENT_KEY}` } };
  const accountId = cp.accountId;
  const env = await hybrid.createHybridCloudEnvironment({ hybridCloudEnvironment: { accountId, name: 'r', configuration: { namespace: 'ns-r' } } }, auth);
  const environmentId = env.hybridCloudEnvironment!.id;
  const bootstrap = async () => (await hybrid.generateBootstrapCommands({ accountId, hybridCloudEnvironmentId: environmentId }, auth)).accessKey;
  const registered = await callApi(cp.url, 'POST', '/agent/v1/register', { headers: { authorization: `Bearer ${await bootstrap()}` } });
  if (registered.status !== 201) throw new Error(`registering the agent: ${registered.status} ${registered.text}`);
  return { cp, environmentId, agent: registered.json.token as string, hybrid, options: auth, bootstrap };
}

const HOUR_MS = 3_600_000;
/** Neither the fallback polling nor the safety re-check can wake a long-poll during a test: only a notice can. */
export const ONLY_NOTICES = { pollIntervalMs: HOUR_MS, recheckMs: HOUR_MS, maxWaitSeconds: 600 };

/** Another replica on `database` (PostgreSQL), once it listens for notices; stop it yourself. */
export async function startListeningReplica(database: string, options: Partial<ControlPlaneOptions> = ONLY_NOTICES): Promise<RunningControlPlane> {
  const cp = await startControlPlane({
    database,
    port: 0,
    managementKey: MANAGEMENT_KEY,
    secrets: TEST_SECRETS,
    logger: createLogger({ level: 'error' }),
    console: false,
    ...options,
  });
  await vi.waitFor(() => expect(cp.store.db.revisions.live).toBe(true));
  return cp;
}
