import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { Code, ConnectError, type ConnectRouter, type Interceptor } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { clusterV1, hybridV1 } from '@qhc/cloud-api';

export const QHC = fileURLToPath(new URL('../dist/qhc.js', import.meta.url));
export const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The built binary as a subprocess, stdout piped (so never a terminal). */
export function qhc(args: string[], env: Record<string, string | undefined> = {}, cwd?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [QHC, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

export const ACCOUNT_ID = '6f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c';
export const MANAGEMENT_KEY = 'qhc_m_cli-test-key-0123456789';

/** An environment (= region) as the Cloud API answers with it. */
export function environmentFixture(name: string, id: string, configuration: MessageInitShape<typeof hybridV1.HybridCloudEnvironmentConfigurationSchema> = {}) {
  return create(hybridV1.HybridCloudEnvironmentSchema, {
    accountId: ACCOUNT_ID,
    id,
    name,
    configuration: create(hybridV1.HybridCloudEnvironmentConfigurationSchema, { namespace: name, ...configuration }),
  });
}

/** A cluster of an environment as the Cloud API answers with it. */
export function clusterFixture(
  name: string,
  id: string,
  environmentId: string,
  configuration: MessageInitShape<typeof clusterV1.ClusterConfigurationSchema> = {},
) {
  return create(clusterV1.ClusterSchema, {
    accountId: ACCOUNT_ID,
    id,
    name,
    cloudProviderId: 'hybrid',
    cloudProviderRegionId: environmentId,
    configuration: create(clusterV1.ClusterConfigurationSchema, { numberOfNodes: 1, version: 'v1.16.2', packageId: 'pkg-1', ...configuration }),
  });
}

/** A UUID-shaped id from a number, for fixtures. */
export const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** The environment a test run gives qhc: the stub's endpoint, the account and the key, no config file. */
export const cloudEnv = (url: string, key = MANAGEMENT_KEY) => ({
  QHC_URL: url,
  QHC_ACCOUNT_ID: ACCOUNT_ID,
  QHC_MANAGEMENT_KEY: key,
  QHC_CONTEXT: undefined,
  XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'qhc-xdg-')),
});

/** The stand-in's authentication: the test's management key or Unauthenticated. */
const auth: Interceptor = (next) => (req) => {
  if (req.header.get('authorization') !== `apikey ${MANAGEMENT_KEY}`) throw new ConnectError('the management key is not valid', Code.Unauthenticated);
  return next(req);
};

/**
 * A stand-in control plane on 127.0.0.1 serving the Cloud API services `routes` implements
 * (the rest answer Unimplemented) over the Connect protocol, plain HTTP; a call without the
 * management key is Unauthenticated.
 */
export async function stubCloudApi(routes: (router: ConnectRouter) => void): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(connectNodeAdapter({ routes, interceptors: [auth] }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
