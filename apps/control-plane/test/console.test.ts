import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@qhc/kube';
import { consoleAssetsDir } from '@qhc/console';
import { startControlPlane, type RunningControlPlane } from '../src/index.ts';
import { callApi } from './support/http.ts';

// The console's sign-in (qhc.v1 SessionService): cloud-qhc-sessions.
const MANAGEMENT_KEY = 'qhc_m_console-management-key-0123456789';

const call = (cp: RunningControlPlane, method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) =>
  callApi(cp.url, method, path, options);

function consoleFilesFixture() {
  let cp: RunningControlPlane | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'qhc-console-'));
  const bundle = `console.log(${JSON.stringify('x'.repeat(4000))});`;
  beforeAll(async () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><meta name="csp-nonce" content="" /><div id="root"></div><script type="module" src="/assets/index-abc123.js"></script>',
    );
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), bundle);
    writeFileSync(join(dir, 'assets', 'index-abc123.css'), 'body{}');
    cp = await startControlPlane({ database: ':memory:', port: 0, managementKey: MANAGEMENT_KEY, logger: createLogger({ level: 'error' }), console: { dir } });
  });
  afterAll(async () => {
    await cp?.stop();
  });

  return {
    get cp() {
      return cp!;
    },
    bundle,
  };
}

describe('the console files', () => {
  const fixture = consoleFilesFixture();
  const { bundle } = fixture;

  it('serves index.html at / and for every route of the app, revalidated, with the security headers', async () => {
    for (const path of ['/', '/environments', '/environments/eu-1/clusters/hello', '/sign-in']) {
      const res = await call(fixture.cp, 'GET', path, { headers: { accept: 'text/html' } });
      expect(res.status, path).toBe(200);
      expect(res.text).toContain('<div id="root"></div>');
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it("gives every page load a fresh style nonce, in the CSP and in index.html's meta, and none for scripts", async () => {
    const nonces = [];
    for (let i = 0; i < 2; i++) {
      const res = await call(fixture.cp, 'GET', '/environments');
      const nonce = /<meta name="csp-nonce" content="([\w+/=]{24})" \/>/.exec(res.text)![1]!;
      expect(res.headers.get('content-security-policy')).toContain(`style-src 'self' 'nonce-${nonce}'`);
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self';");
      nonces.push(nonce);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it('serves hashed assets with their type, cached for ever, gzipped when asked; a missing one is a 404', async () => {
    const js = await new Promise<{ status?: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
      const req = httpRequest(`${fixture.cp.url}/assets/index-abc123.js`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(js.body).toString()).toBe(bundle);
    const css = await call(fixture.cp, 'GET', '/assets/index-abc123.css');
    expect([css.status, css.headers.get('content-type'), css.text]).toEqual([200, 'text/css; charset=utf-8', 'body{}']);
    const missing = await call(fixture.cp, 'GET', '/assets/index-old999.js');
    expect([missing.status, missing.json]).toEqual([404, { error: 'NotFound', message: 'no such file: /assets/index-old999.js' }]);
    expect((await call(fixture.cp, 'GET', '/favicon.ico')).status).toBe(404);
  });
});

describe('the console files: what they never serve, and the default ones', () => {
  const fixture = consoleFilesFixture();

  it('never leaves its directory, answers only GET and HEAD, and leaves the API alone', async () => {
    for (const path of ['/..%2f..%2f..%2fetc%2fpasswd', '/assets/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/etc/hostname']) {
      const res = await call(fixture.cp, 'GET', path);
      expect(res.text, path).not.toMatch(/root:|"name"/);
      expect([200, 404]).toContain(res.status);
    }
    expect((await call(fixture.cp, 'GET', '/%E0%A4%A')).status).toBe(400);
    expect((await call(fixture.cp, 'POST', '/environments')).status).toBe(405);
    expect((await call(fixture.cp, 'HEAD', '/')).status).toBe(200);
    expect((await call(fixture.cp, 'GET', '/api/v1/nope')).json).toEqual({ error: 'NotFound', message: 'no such path: /api/v1/nope' });
    expect((await call(fixture.cp, 'GET', '/healthz')).text).toBe('ok');
    // The retired /api/v1 document is gone, not the console's page; the Cloud API's is at /api/openapi.json.
    expect((await call(fixture.cp, 'GET', '/openapi.json')).status).toBe(404);
    expect((await call(fixture.cp, 'GET', '/api/openapi.json')).json.paths).toBeDefined();
    // Signing in through a provider is the server's route, not the app's page.
    const sso = await call(fixture.cp, 'GET', '/auth/oidc/not-a-provider/start');
    expect([sso.status, sso.text]).toEqual([404, expect.stringContaining('there is no sign-in provider not-a-provider')]);
  });

  it('serves the built @qhc/console by default, and refuses a directory without index.html', async () => {
    const def = await startControlPlane({ database: ':memory:', port: 0, logger: createLogger({ level: 'error' }) });
    try {
      const res = await call(def, 'GET', '/clusters');
      expect(res.text).toContain('<div id="root"></div>');
      const script = /src="(\/assets\/index-[\w-]+\.js)"/.exec(res.text)![1]!;
      expect((await call(def, 'GET', script)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(consoleAssetsDir()).toMatch(/packages\/console\/dist\/app\/$/);
    } finally {
      await def.stop();
    }
    await expect(startControlPlane({ database: ':memory:', port: 0, logger: createLogger({ level: 'error' }), console: { dir: tmpdir() } })).rejects.toThrow(
      /the console's assets are not at .* \(no index\.html\): build @qhc\/console, or point QHC_CONSOLE_DIR at them/,
    );
  });
});
