import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { KubeTransport } from '../src/index.ts';

describe('KubeTransport', () => {
  it('sends every request over one connection pool (client-node builds a new one per request)', async () => {
    let connections = 0;
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const kc = new KubeConfig();
      const { port } = server.address() as AddressInfo;
      // skipTLSVerify makes client-node build an Agent for each request, as with a CA.
      kc.loadFromOptions({
        clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
        users: [{ name: 'u', token: 't' }],
        contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
        currentContext: 'x',
      });
      const transport = new KubeTransport(kc);
      for (let i = 0; i < 10; i++) expect((await transport.request('GET', '/api')).status).toBe(200);
      // One pool: its connection is reused (a second may open while the first is released).
      expect(connections).toBeLessThanOrEqual(2);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
