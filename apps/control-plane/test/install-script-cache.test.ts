// Issue 19, finding 7: the ~100 KB installation script is rendered once per token and region
// revision, not on every fetch. The renderers are spied on, so the test counts renders, not time.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as manifests from '@qhc/manifests';
import type * as Manifests from '@qhc/manifests';
import { startWithRegion, type RegionFixture } from './support/region.ts';
import { callApi } from './support/http.ts';

vi.mock('@qhc/manifests', async (importOriginal) => {
  const actual = await importOriginal<typeof Manifests>();
  return {
    ...actual,
    renderInstallScript: vi.fn<typeof actual.renderInstallScript>(actual.renderInstallScript),
    renderHelmInstall: vi.fn<typeof actual.renderHelmInstall>(actual.renderHelmInstall),
  };
});

describe('the installation script cache', () => {
  let fixture: RegionFixture;
  beforeAll(async () => {
    fixture = await startWithRegion();
  });
  afterAll(async () => {
    await fixture?.cp.stop();
  });

  it('renders the script once per token and region revision; a revoked token gets nothing from the cache', async () => {
    const render = vi.mocked(manifests.renderInstallScript);
    const renderHelm = vi.mocked(manifests.renderHelmInstall);
    const install = (await fixture.call('POST', '/api/v1/regions/r/installation')).json;
    const path = new URL(install.scriptUrl).pathname;
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
    // A changed region is a new revision: rendered again, with the change.
    const region = (await fixture.call('GET', '/api/v1/regions/r')).json;
    expect(
      (await fixture.call('PUT', '/api/v1/regions/r', { ...region.spec, advanced: { ...region.spec.advanced, logLevel: { agent: 'DEBUG' } } })).status,
    ).toBe(200);
    await callApi(fixture.cp.url, 'GET', path);
    expect(render).toHaveBeenCalledTimes(2);
    // A newer command revokes this token: refused, though its script is cached.
    await fixture.call('POST', '/api/v1/regions/r/installation');
    expect((await callApi(fixture.cp.url, 'GET', path)).status).toBe(401);
  });
});
