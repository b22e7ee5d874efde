// `qhc region install-command` tells when the command's one-time token expires (issue 19,
// finding 7), against a Cloud API stand-in on 127.0.0.1 (qhc.v1 CreateInstallation).
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { hybridV1, qhcV1 } from '@qhc/cloud-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudEnv, environmentFixture, qhc, stubCloudApi, uuid } from './support.ts';

describe('qhc region install-command', () => {
  let server: { url: string; close(): Promise<void> };
  const expiresAt = new Date(Math.floor((Date.now() + 24 * 3600_000) / 1000) * 1000);
  const asked: string[] = [];
  beforeAll(async () => {
    server = await stubCloudApi((router) => {
      router.service(hybridV1.HybridCloudService, {
        listHybridCloudEnvironments: () => ({ items: [environmentFixture('r', uuid(7), { namespace: 'ns-r' })] }),
      });
      router.service(qhcV1.EnvironmentAgentService, {
        createInstallation: (req) => {
          asked.push(req.hybridCloudEnvironmentId);
          const scriptUrl = 'https://cp.example.test/install/qhc_b_x';
          return {
            installation: {
              bootstrapToken: 'qhc_b_x',
              expiresAt: timestampFromMs(expiresAt.getTime()),
              scriptUrl,
              command: `curl -fsSL ${scriptUrl} | bash`,
              helmScriptUrl: `${scriptUrl}/helm`,
              helmCommand: `curl -fsSL ${scriptUrl}/helm | bash`,
            },
          };
        },
      });
    });
  });
  afterAll(() => server.close());

  it('prints the command on stdout and when its token expires on stderr', async () => {
    const run = await qhc(['region', 'install-command', 'r'], cloudEnv(server.url));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('curl -fsSL https://cp.example.test/install/qhc_b_x | bash\n');
    expect(run.stderr).toBe(`the installation token works once and expires at ${expiresAt.toISOString()} (in 24h); after that, make a new command\n`);
    expect(asked).toEqual([uuid(7)]);
    const helm = await qhc(['region', 'install-command', 'r', '--helm'], cloudEnv(server.url));
    expect(helm.stdout).toBe('curl -fsSL https://cp.example.test/install/qhc_b_x/helm | bash\n');
  });
});
