import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { authV1 } from '@qhc/cloud-api';
import { createLogger } from '@qhc/kube';
import { createLoopbackTls, type LoopbackTls } from '@qhc/kube-sandbox';
import { afterAll, beforeAll, inject } from 'vitest';
import { startControlPlane, type ControlPlaneOptions, type RunningControlPlane } from '../../src/index.ts';
import { createTestDatabase } from './postgres.ts';
import { sqlOn } from './sql.ts';

export type Dialect = 'sqlite' | 'postgres';
export const MANAGEMENT_KEY = 'qhc_m_test-management-key-0123456789';
/** The secrets key ring of the tests' control planes (PostgreSQL needs one; replicas share it). */
export const TEST_SECRETS_KEY = `t1:${Buffer.alloc(32, 7).toString('base64')}`;
export const TEST_SECRETS = { key: TEST_SECRETS_KEY } as const;

/** A control plane for the Cloud API tests, its clock (moved by tests), and its TLS material when it serves HTTPS. */
export interface CloudPlane {
  readonly cp: RunningControlPlane;
  readonly tls: LoopbackTls | undefined;
  /** Milliseconds since the epoch the control plane sees as now. */
  clock: { now: number };
  /** `authorization` metadata for a key (default: the operator's). */
  auth(key?: string): { authorization: string };
  /** Every row of the tables the Cloud API writes: equal before and after a refused call. */
  digest(): Promise<unknown>;
}

let counter = 0;

export async function databaseFor(dialect: Dialect): Promise<string> {
  return dialect === 'sqlite'
    ? join(mkdtempSync(join(tmpdir(), 'qhc-cloud-')), 'cp.db')
    : createTestDatabase(inject('postgresUrl'), `cloud_${process.pid}_${counter++}_${Math.random().toString(36).slice(2, 8)}`);
}

/** A control plane for the describe block (HTTPS with a private CA unless `https: false`). */
export function cloudPlane(dialect: Dialect, { https = true, ...options }: { https?: boolean } & Partial<ControlPlaneOptions> = {}): CloudPlane {
  let cp: RunningControlPlane | undefined;
  let material: LoopbackTls | undefined;
  const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
  beforeAll(async () => {
    if (https) material = await createLoopbackTls(join(mkdtempSync(join(tmpdir(), 'qhc-cloud-tls-')), 'tls'));
    cp = await startControlPlane({
      database: await databaseFor(dialect),
      port: 0,
      managementKey: MANAGEMENT_KEY,
      secrets: TEST_SECRETS,
      logger: createLogger({ level: 'error' }),
      console: false,
      now: () => clock.now,
      ...(material ? { tls: { cert: material.cert, key: material.key } } : {}),
      ...options,
    });
  });
  afterAll(async () => {
    await cp?.stop();
  });
  return {
    get cp() {
      return cp!;
    },
    get tls() {
      return material;
    },
    clock,
    auth: (key = MANAGEMENT_KEY) => ({ authorization: `apikey ${key}` }),
    async digest() {
      const sql = sqlOn(cp!.store.db);
      return { accounts: await sql.all('SELECT * FROM accounts ORDER BY id'), keys: await sql.all('SELECT * FROM management_keys ORDER BY id') };
    },
  };
}

/** An AuthService client over gRPC (HTTP/2 + TLS, trusting the test CA), as the Terraform provider calls. */
export function grpcAuthClient(plane: CloudPlane): Client<typeof authV1.AuthService> {
  const transport = createGrpcTransport({ baseUrl: plane.cp.url, nodeOptions: { ca: plane.tls!.ca } });
  return createClient(authV1.AuthService, transport);
}

/** The error a call failed with (fails the test if it succeeded). */
export async function failure(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => {
      throw new Error('the call succeeded');
    },
    (error: unknown) => error,
  );
}
