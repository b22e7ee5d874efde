// `qhc region install-command` tells when the command's one-time token expires (issue 19,
// finding 7), against a stub control plane on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qhc, regionRecord, stubControlPlane } from './support.ts';

describe('qhc region install-command', () => {
  let server: { url: string; close(): Promise<void> };
  const expiresAt = new Date(Date.now() + 24 * 3600_000).toISOString();
  beforeAll(async () => {
    server = await stubControlPlane((req) => {
      if (req.method === 'GET' && req.url === '/api/v1/regions/r') return { status: 200, body: { ...regionRecord('r', 'ns-r'), createdAt: expiresAt } };
      if (req.method !== 'POST' || req.url !== '/api/v1/regions/r/installation') return undefined;
      const scriptUrl = 'https://cp.example.test/install/qhc_b_x';
      return {
        status: 201,
        body: {
          bootstrapToken: 'qhc_b_x',
          expiresAt,
          scriptUrl,
          command: `curl -fsSL ${scriptUrl} | bash`,
          helmScriptUrl: `${scriptUrl}/helm`,
          helmCommand: `curl -fsSL ${scriptUrl}/helm | bash`,
        },
      };
    });
  });
  afterAll(() => server.close());

  it('prints the command on stdout and when its token expires on stderr', async () => {
    const run = await qhc(['region', 'install-command', 'r'], { QHC_URL: server.url, QHC_TOKEN: 'qhc_u_test' });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('curl -fsSL https://cp.example.test/install/qhc_b_x | bash\n');
    expect(run.stderr).toBe(`the installation token works once and expires at ${expiresAt} (in 24h); after that, make a new command\n`);
  });
});
