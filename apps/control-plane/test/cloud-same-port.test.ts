// One TLS port for everything: gRPC (HTTP/2), gRPC-Web and Connect (HTTP/1.1 and HTTP/2), the
// REST gateway, the agents' routes and the console, whichever HTTP version the client negotiates;
// the retired /api/v1 is a 404 whatever the credential.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:http2';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Code, createClient, type ConnectError } from '@connectrpc/connect';
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from '@connectrpc/connect-node';
import { authV1, clusterV1 } from '@qhc/cloud-api';
import { describe, expect, it } from 'vitest';
import { cloudPlane, grpcAuthClient, type CloudPlane } from './support/cloud.ts';

const consoleDir = () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'qhc-console-')), 'console');
  mkdirSync(dir);
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
  return dir;
};

type Answer = { status: number; version: string; body: string; hsts: string | undefined };

/** A request over HTTP/2 (ALPN h2). */
function overHttp2(plane: CloudPlane, path: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const session = connect(plane.cp.url, { ca: plane.tls!.ca });
    session.on('error', reject);
    const stream = session.request({ ':path': path, ...headers });
    let body = '';
    let status = 0;
    let hsts: string | undefined;
    stream.on('response', (h) => ((status = Number(h[':status'])), (hsts = h['strict-transport-security'] as string | undefined)));
    stream.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    stream.on('end', () => session.close(() => resolve({ status, version: '2.0', body, hsts })));
    stream.on('error', reject);
  });
}

/** A request over HTTP/1.1 (node:https offers no h2). */
function overHttp1(plane: CloudPlane, path: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${plane.cp.url}${path}`, { ca: plane.tls!.ca, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, version: res.httpVersion, body, hsts: res.headers['strict-transport-security'] }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('one TLS port', () => {
  const plane = cloudPlane('sqlite', { console: { dir: consoleDir() } });

  it('answers gRPC, gRPC-Web and Connect calls to the same service', async () => {
    const accountId = plane.cp.accountId;
    const grpc = await grpcAuthClient(plane).listManagementKeys({ accountId }, { headers: plane.auth() });
    const transports = [
      createGrpcWebTransport({ baseUrl: plane.cp.url, httpVersion: '1.1', nodeOptions: { ca: plane.tls!.ca } }),
      createConnectTransport({ baseUrl: plane.cp.url, httpVersion: '1.1', nodeOptions: { ca: plane.tls!.ca } }),
      createConnectTransport({ baseUrl: plane.cp.url, httpVersion: '2', nodeOptions: { ca: plane.tls!.ca } }),
    ];
    for (const transport of transports) {
      const listed = await createClient(authV1.AuthService, transport).listManagementKeys({ accountId }, { headers: plane.auth() });
      expect(listed.items.map((k) => k.id)).toEqual(grpc.items.map((k) => k.id));
    }
    expect(grpc.items).toHaveLength(1);
    // A method not served (yet) is Unimplemented, not the console's page.
    const transport = createGrpcTransport({ baseUrl: plane.cp.url, nodeOptions: { ca: plane.tls!.ca } });
    const missing = await createClient(clusterV1.ClusterService, transport)
      .getClusterDownscaleRisk({ accountId, clusterId: randomUUID(), packageId: randomUUID() }, { headers: plane.auth() })
      .then(
        () => undefined,
        (error: unknown) => (error as ConnectError).code,
      );
    expect(missing).toBe(Code.Unimplemented);
  });

  it('serves the REST gateway and the console over HTTP/1.1 and HTTP/2 alike; /api/v1 is a 404 to any credential', async () => {
    const credentials: Array<Record<string, string>> = [
      {},
      plane.auth(),
      { authorization: 'Bearer qhc_u_same-port-admin-0123456789' },
      { cookie: 'qhc_session=anything' },
    ];
    for (const send of [overHttp1, overHttp2]) {
      for (const credential of credentials) {
        const regions = await send(plane, '/api/v1/regions', credential);
        expect([regions.status, JSON.parse(regions.body), regions.hsts]).toEqual([
          404,
          { error: 'NotFound', message: 'no such path: /api/v1/regions' },
          'max-age=31536000',
        ]);
      }
      const keys = await send(plane, `/api/auth/v1/accounts/${plane.cp.accountId}/management-keys`, plane.auth());
      expect([keys.status, JSON.parse(keys.body).items.length]).toEqual([200, 1]);
      const page = await send(plane, '/clusters', {});
      expect([page.status, page.body]).toEqual([200, '<!doctype html><title>console</title>']);
    }
    expect((await overHttp1(plane, '/healthz', {})).version).toBe('1.1');
    expect((await overHttp2(plane, '/healthz', {})).body).toBe('ok');
  });
});
