// `qhc region install-command` tells when the command's one-time token expires (issue 19,
// finding 7), against a stub control plane on 127.0.0.1.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qhc, regionRecord } from './support.ts';

describe('qhc region install-command', () => {
  let server: Server;
  let url = '';
  const expiresAt = new Date(Date.now() + 24 * 3600_000).toISOString();
  beforeAll(async () => {
    server = createServer((req, res) => {
      const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.method === 'GET' && req.url === '/api/v1/regions/r') return json(200, { ...regionRecord('r', 'ns-r'), createdAt: expiresAt });
      if (req.method === 'POST' && req.url === '/api/v1/regions/r/installation') {
        const scriptUrl = 'https://cp.example.test/install/qhc_b_x';
        return json(201, {
          bootstrapToken: 'qhc_b_x',
          expiresAt,
          scriptUrl,
          command: `curl -fsSL ${scriptUrl} | bash`,
          helmScriptUrl: `${scriptUrl}/helm`,
          helmCommand: `curl -fsSL ${scriptUrl}/helm | bash`,
        });
      }
      json(404, { error: 'NotFound', message: `no such path: ${req.url}` });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('prints the command on stdout and when its token expires on stderr', async () => {
    const run = await qhc(['region', 'install-command', 'r'], { QHC_URL: url, QHC_TOKEN: 'qhc_u_test' });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('curl -fsSL https://cp.example.test/install/qhc_b_x | bash\n');
    expect(run.stderr).toBe(`the installation token works once and expires at ${expiresAt} (in 24h); after that, make a new command\n`);
  });
});
