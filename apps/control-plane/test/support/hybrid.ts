import { request } from 'node:https';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { createClient, type Client, type ConnectError } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { hybridV1 } from '@qhc/cloud-api';
import type { CloudPlane } from './cloud.ts';
import { sqlOn } from './sql.ts';

// The HybridCloudService tests' helpers: a gRPC client as the Terraform provider calls, the
// rows a refused call must leave alone, and HTTPS calls to the routes agents use (the test CA).

export type HybridClient = Client<typeof hybridV1.HybridCloudService>;
export type ConfigurationInit = MessageInitShape<typeof hybridV1.HybridCloudEnvironmentConfigurationSchema>;

export function grpcHybridClient(plane: CloudPlane): HybridClient {
  return createClient(hybridV1.HybridCloudService, createGrpcTransport({ baseUrl: plane.cp.url, nodeOptions: { ca: plane.tls!.ca } }));
}

export const codeOf = (error: unknown) => (error as ConnectError).code;
export const messageOf = (error: unknown) => (error as ConnectError).rawMessage;

/** Every row a HybridCloudService call writes: equal before and after a refused call. */
export async function hybridDigest(plane: CloudPlane): Promise<unknown> {
  const sql = sqlOn(plane.cp.store.db);
  return {
    regions: await sql.all('SELECT * FROM regions ORDER BY id'),
    tokens: await sql.all('SELECT * FROM tokens ORDER BY id'),
    clusters: await sql.all('SELECT * FROM clusters ORDER BY id'),
  };
}

let counter = 0;
/** A name no other test of the file uses. */
export const uniqueName = (prefix = 'env') => `${prefix}_${process.pid}-${counter++}`;

/** Creates an environment of the plane's account; answers it as stored. */
export async function createEnvironment(plane: CloudPlane, client: HybridClient, configuration: ConfigurationInit = { namespace: 'qhc' }, name = uniqueName()) {
  const env = create(hybridV1.HybridCloudEnvironmentSchema, { accountId: plane.cp.accountId, name, configuration });
  const created = await client.createHybridCloudEnvironment({ hybridCloudEnvironment: env }, { headers: plane.auth() });
  return created.hybridCloudEnvironment!;
}

export interface HttpsAnswer {
  status: number;
  text: string;
}

/** One HTTPS request trusting the plane's test CA (agents and installation scripts call so). */
export function https(plane: CloudPlane, method: string, path: string, options: { body?: unknown; token?: string } = {}): Promise<HttpsAnswer> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, plane.cp.url), {
      method,
      ca: plane.tls!.ca,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
    });
    req.once('error', reject);
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.end(body);
  });
}
