import { request } from 'node:https';
import { createClient, type Client } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { authV1, hybridV1, qhcV1 } from '@qhc/cloud-api';
import type { Database } from '../../src/db/schema.ts';
import { keyPrefix } from '../../src/repositories/management-keys.ts';
import type { CloudPlane } from './cloud.ts';
import { sqlOn } from './sql.ts';

// The audit tests' helpers: gRPC clients as the Terraform provider calls, REST over the test CA,
// and the audit rows as stored.

export interface AuditClients {
  auth: Client<typeof authV1.AuthService>;
  hybrid: Client<typeof hybridV1.HybridCloudService>;
  audit: Client<typeof qhcV1.AuditLogService>;
}

export function auditClients(plane: CloudPlane): AuditClients {
  const transport = createGrpcTransport({ baseUrl: plane.cp.url, nodeOptions: { ca: plane.tls!.ca } });
  return {
    auth: createClient(authV1.AuthService, transport),
    hybrid: createClient(hybridV1.HybridCloudService, transport),
    audit: createClient(qhcV1.AuditLogService, transport),
  };
}

/** One REST call over HTTPS with a management key (and any other headers); answers the status and body. */
export function restCall(plane: CloudPlane, method: string, path: string, key: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(new URL(path, plane.cp.url), { method, ca: plane.tls!.ca, headers: { ...plane.auth(key), ...headers } });
    req.once('error', reject);
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.end();
  });
}

export type AuditRow = Database['audit_events'];

export const auditRows = (plane: CloudPlane) => sqlOn(plane.cp.store.db).all<AuditRow>('SELECT * FROM audit_events ORDER BY occurred_at, id');

/** The id of the management key `key` (as stored: by its prefix). */
export async function keyIdOf(plane: CloudPlane, key: string): Promise<string> {
  const row = await sqlOn(plane.cp.store.db).one<{ id: string }>('SELECT id FROM management_keys WHERE prefix = $1', [keyPrefix(key)]);
  return row!.id;
}
