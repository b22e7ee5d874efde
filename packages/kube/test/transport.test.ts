import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { KubeConfig, KubeTransport, loadKubeConfig } from '../src/index.ts';

function config(server: string, user: ConstructorParameters<typeof KubeConfig>[0]['users'][number]): KubeConfig {
  return new KubeConfig({
    clusters: [{ name: 'c', server, skipTLSVerify: true }],
    users: [user],
    contexts: [{ name: 'x', cluster: 'c', user: user.name }],
    currentContext: 'x',
  });
}

async function withServer(run: (url: string, seen: { connections: number; authorization: string[] }) => Promise<void>): Promise<void> {
  const seen = { connections: 0, authorization: [] as string[] };
  const server = createServer((req, res) => {
    seen.authorization.push(req.headers.authorization ?? '');
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  server.on('connection', () => seen.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('KubeTransport', () => {
  it('sends every request over one connection pool, with the bearer token', async () => {
    await withServer(async (url, seen) => {
      const transport = new KubeTransport(config(url, { name: 'u', token: 't' }));
      for (let i = 0; i < 10; i++) expect((await transport.request('GET', '/api')).status).toBe(200);
      // One pool: its connection is reused (a second may open while the first is released).
      expect(seen.connections).toBeLessThanOrEqual(2);
      expect(new Set(seen.authorization)).toEqual(new Set(['Bearer t']));
    });
  });

  it('opens a new pool when the TLS material changes, not before', async () => {
    await withServer(async (url, seen) => {
      const kc = config(url, { name: 'u', token: 't' });
      const transport = new KubeTransport(kc);
      await transport.request('GET', '/api');
      await transport.request('GET', '/api');
      const before = seen.connections;
      // A rotated client certificate (as a file re-read would find it): the first pool must not be kept.
      kc.users[0]!.certData = Buffer.from('-----BEGIN CERTIFICATE-----\nrotated\n-----END CERTIFICATE-----\n').toString('base64');
      await transport.request('GET', '/api');
      expect(seen.connections).toBe(before + 1);
    });
  });

  it('a user whose token comes from an exec plugin: client-node runs it, loaded for that kubeconfig only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qhc-exec-'));
    const plugin = join(dir, 'plugin.sh');
    const credential = { apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: 'from-exec' } };
    writeFileSync(plugin, `#!/bin/sh\necho '${JSON.stringify(credential)}'\n`);
    chmodSync(plugin, 0o755);
    await withServer(async (url, seen) => {
      const kubeconfig = join(dir, 'config');
      writeFileSync(
        kubeconfig,
        [
          'apiVersion: v1',
          'kind: Config',
          `clusters: [{ name: c, cluster: { server: "${url}", insecure-skip-tls-verify: true } }]`,
          `users: [{ name: u, user: { exec: { apiVersion: client.authentication.k8s.io/v1beta1, command: ${plugin}, interactiveMode: Never } } }]`,
          'contexts: [{ name: x, context: { cluster: c, user: u } }]',
          'current-context: x',
        ].join('\n'),
      );
      const kc = loadKubeConfig({ kubeconfigPath: kubeconfig });
      expect(kc.needsPlugin()).toBe(true);
      expect((await new KubeTransport(kc).request('GET', '/api')).status).toBe(200);
      expect(seen.authorization).toEqual(['Bearer from-exec']);
    });
  });
});

describe('KubeTransport timeouts', () => {
  it('holds nothing of a request once it is answered: its timeout goes with it', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    await withServer(async (url) => {
      const transport = new KubeTransport(config(url, { name: 'u', token: 't' }), { timeoutMs: 60_000 });
      const worker = new AbortController();
      const requests = async (count: number) => {
        for (let i = 0; i < count; i++) await transport.request('GET', '/api', { signal: worker.signal });
      };
      await requests(200);
      gc();
      const before = process.memoryUsage().heapUsed;
      await requests(3000);
      // Weak references let go of their targets only once the job that made them is over, and
      // AbortSignal.any's clean-up runs from a FinalizationRegistry, whose callbacks come as
      // tasks after a collection: on a loaded machine three turns were not always enough. So it
      // collects until what is held falls under the bound, up to 50 times; a timer armed for
      // the whole minute keeps its signals however many times it collects.
      const perRequest = () => (process.memoryUsage().heapUsed - before) / 3000;
      let held = Infinity;
      for (let round = 0; round < 50 && held >= 500; round++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        gc();
        held = perRequest();
      }
      // An AbortSignal.timeout per request held its timer, signal and what AbortSignal.any
      // tied to the worker's signal for the whole minute: about 850 bytes a request.
      expect(held).toBeLessThan(500);
    });
  });

  it('gives up on a request not answered within its timeout', async () => {
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const transport = new KubeTransport(config(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { name: 'u', token: 't' }), { timeoutMs: 200 });
      await expect(transport.request('GET', '/api')).rejects.toThrow(/no answer within 200 ms/);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
