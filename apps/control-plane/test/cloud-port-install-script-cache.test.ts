// install-script-cache.test.ts with the installation command from the Cloud API
// (GenerateBootstrapCommands): the ~100 KB installation script is rendered once per token and
// environment revision, not on every fetch. The renderers are spied on, so the test counts renders.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as manifests from '@qhc/manifests';
import type * as Manifests from '@qhc/manifests';
import { hybridV1 } from '@qhc/cloud-api';
import { startWithEnvironment, type EnvironmentFixture } from './support/cloud-region.ts';
import { callApi } from './support/http.ts';

vi.mock('@qhc/manifests', async (importOriginal) => {
  const actual = await importOriginal<typeof Manifests>();
  return {
    ...actual,
    renderInstallScript: vi.fn<typeof actual.renderInstallScript>(actual.renderInstallScript),
    renderHelmInstall: vi.fn<typeof actual.renderHelmInstall>(actual.renderHelmInstall),
  };
});

describe('the installation script cache, with commands from the Cloud API', () => {
  let fixture: EnvironmentFixture;
  beforeAll(async () => {
    fixture = await startWithEnvironment();
  });
  afterAll(async () => {
    await fixture?.cp.stop();
  });

  it('renders the script once per token and environment revision; a replaced token gets nothing from the cache', async () => {
    const render = vi.mocked(manifests.renderInstallScript);
    const renderHelm = vi.mocked(manifests.renderHelmInstall);
    const path = `/install/${await fixture.bootstrap()}`;
    render.mockClear();
    renderHelm.mockClear();
    const first = await callApi(fixture.cp.url, 'GET', path);
    const second = await callApi(fixture.cp.url, 'GET', path);
    expect(first.status).toBe(200);
    expect(second.text).toBe(first.text);
    expect(render).toHaveBeenCalledTimes(1);
    await callApi(fixture.cp.url, 'GET', `${path}/helm`);
    await callApi(fixture.cp.url, 'GET', `${path}/helm`);
    expect(renderHelm).toHaveBeenCalledTimes(1);
    // A changed environment is a new revision: rendered again, with the change.
    const hybridCloudEnvironment = {
      accountId: fixture.cp.accountId,
      id: fixture.environmentId,
      name: 'r',
      configuration: { namespace: 'ns-r', logLevel: hybridV1.HybridCloudEnvironmentConfigurationLogLevel.DEBUG },
    };
    await fixture.hybrid.updateHybridCloudEnvironment({ hybridCloudEnvironment, updateMask: { paths: ['configuration.log_level'] } }, fixture.options);
    const third = await callApi(fixture.cp.url, 'GET', path);
    expect(render).toHaveBeenCalledTimes(2);
    expect(third.text).not.toBe(first.text);
    // A newer command replaces this token: refused, though its script is cached.
    await fixture.bootstrap();
    expect((await callApi(fixture.cp.url, 'GET', path)).status).toBe(401);
  });
});
