import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@qhc/kube';
import { startControlPlane, type RunningControlPlane } from '../../src/index.ts';
import { caller, type Call } from './http.ts';

export const ADMIN = 'qhc_u_test-admin-token-0123456789';

export interface RegionFixture {
  cp: RunningControlPlane;
  /** The registered agent's credential of region `r`. */
  agent: string;
  /** A request as the admin, or with `token`. */
  call: Call;
}

/** A control plane on `database` (SQLite when undefined) with region `r` and its agent registered. */
export async function startWithRegion(database?: string): Promise<RegionFixture> {
  const cp = await startControlPlane({
    database: database ?? join(mkdtempSync(join(tmpdir(), 'qhc-cp-')), 'cp.db'),
    port: 0,
    adminToken: ADMIN,
    logger: createLogger({ level: 'error' }),
    publicUrl: 'https://cp.example.test',
    pollIntervalMs: 50,
  });
  const call = caller(() => cp.url, ADMIN);
  await call('POST', '/api/v1/regions', { name: 'r', namespace: 'ns-r', agentVersion: '0.1.0', operatorVersion: '0.1.0' });
  const install = await call('POST', '/api/v1/regions/r/installation');
  const agent = (await call('POST', '/agent/v1/register', undefined, install.json.bootstrapToken)).json.token as string;
  return { cp, agent, call };
}
