import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { createLogger } from '@qhc/kube';
import { startControlPlane, type RunningControlPlane } from '../../src/index.ts';
import { caller, type Call } from './http.ts';
import { createTestDatabase } from './postgres.ts';

export const ADMIN = 'qhc_u_test-admin-token-0123456789';
export const region = (name: string, namespace = `ns-${name}`) => ({ name, namespace, agentVersion: '0.1.0', operatorVersion: '0.1.0' });
export const cluster = (name: string, size = 1) => ({ name, spec: { version: 'v1.16.2', size, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } } });

export interface ApiSuite {
  /** The control plane of the running describe block. */
  readonly cp: RunningControlPlane;
  /** As the admin unless a token is given (null: none). */
  call: Call;
  /** A new agent of the region: an installation command, exchanged. */
  installAgent(regionName: string): Promise<string>;
  /** Stops the control plane and starts another on the same database. */
  restart(): Promise<void>;
}

let counter = 0;

/**
 * A control plane for the describe block it is called in, on SQLite (a file) or PostgreSQL (a
 * database of its own), with `regions` made before the first test.
 */
export function apiSuite(dialect: 'sqlite' | 'postgres', regions: string[] = []): ApiSuite {
  let cp: RunningControlPlane | undefined;
  let database = '';
  const start = async () =>
    (cp = await startControlPlane({
      database,
      port: 0,
      adminToken: ADMIN,
      logger: createLogger({ level: 'error' }),
      publicUrl: 'https://cp.example.test',
      pollIntervalMs: 50,
    }));
  const call = caller(() => cp!.url, ADMIN);
  beforeAll(async () => {
    database =
      dialect === 'sqlite'
        ? join(mkdtempSync(join(tmpdir(), 'qhc-cp-')), 'control-plane.db')
        : await createTestDatabase(inject('postgresUrl'), `api_${process.pid}_${counter++}_${Math.random().toString(36).slice(2, 8)}`);
    await start();
    for (const name of regions) expect((await call('POST', '/api/v1/regions', region(name))).status).toBe(201);
  });
  afterAll(async () => {
    await cp?.stop();
  });
  return {
    get cp() {
      return cp!;
    },
    call,
    async installAgent(regionName) {
      const install = await call('POST', `/api/v1/regions/${regionName}/installation`);
      const registered = await call('POST', '/agent/v1/register', undefined, install.json.bootstrapToken);
      expect(registered.status).toBe(201);
      return registered.json.token;
    },
    async restart() {
      await cp!.stop();
      await start();
    },
  };
}
