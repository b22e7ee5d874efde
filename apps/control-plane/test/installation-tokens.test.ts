// Issue 19, findings 6 and 7: an installation command is validated before its token is
// issued, bootstrap tokens expire, and HTTPS answers carry Strict-Transport-Security.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '@qhc/kube';
import { createLoopbackTls } from '@qhc/kube-sandbox';
import { startControlPlane, type ControlPlaneOptions, type RunningControlPlane } from '../src/index.ts';
import { callApi } from './support/http.ts';
import { ADMIN } from './support/region.ts';
import { sqlOn } from './support/sql.ts';

const REGION = { name: 'r', namespace: 'ns-r', agentVersion: '0.1.0', operatorVersion: '0.1.0' };
const admin = { authorization: `Bearer ${ADMIN}` };

/** Starts control planes for the describe block's tests (each stopped after its test); the region `r` made unless over HTTPS. */
function controlPlanes() {
  let cp: RunningControlPlane | undefined;
  const start = async (options: Partial<ControlPlaneOptions> = {}) => {
    cp = await startControlPlane({
      database: join(mkdtempSync(join(tmpdir(), 'qhc-cp-')), 'cp.db'),
      port: 0,
      adminToken: ADMIN,
      logger: createLogger({ level: 'error' }),
      console: false,
      ...options,
    });
    // Over HTTPS (a private CA) the test makes its own requests.
    if (!options.tls) await callApi(cp.url, 'POST', '/api/v1/regions', { body: REGION, headers: admin });
    return cp;
  };
  afterEach(async () => {
    await cp?.stop();
    cp = undefined;
  });
  return start;
}

describe('installation commands and their bootstrap tokens', () => {
  const start = controlPlanes();

  it('without an https public URL: a 409 naming --public-url, and the region tokens untouched', async () => {
    // No --public-url: the control plane's own http:// address.
    const running = await start();
    const tokens = () => sqlOn(running.store.db).all('SELECT id, kind, used_at, revoked_at, expires_at FROM tokens ORDER BY id');
    const before = await tokens();
    const answer = await callApi(running.url, 'POST', '/api/v1/regions/r/installation', { headers: admin });
    expect(answer.status).toBe(409);
    expect(answer.json).toMatchObject({ error: 'NotInstallable', message: expect.stringContaining('--public-url') });
    expect(await tokens()).toEqual(before);
  });

  it('a bootstrap token expires: the answer says when, and after that the script and the exchange are refused saying so', async () => {
    // The control plane's clock, moved by the test.
    let now = Date.now();
    const running = await start({ publicUrl: 'https://cp.example.test', bootstrapTokenTtlSeconds: 600, now: () => now });
    const issuedAt = now;
    const install = await callApi(running.url, 'POST', '/api/v1/regions/r/installation', { headers: admin });
    expect(install.status).toBe(201);
    const expiresAt = Date.parse(install.json.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(issuedAt + 600_000);
    expect(expiresAt).toBeLessThanOrEqual(now + 600_000);
    const path = new URL(install.json.scriptUrl).pathname;
    expect((await callApi(running.url, 'GET', path)).status).toBe(200);
    now += 599_999;
    expect((await callApi(running.url, 'GET', path)).status).toBe(200);
    // The clock reaches the expiry.
    now += 1;
    for (const answer of [
      await callApi(running.url, 'GET', path),
      await callApi(running.url, 'GET', `${path}/helm`),
      await callApi(running.url, 'POST', '/agent/v1/register', { headers: { authorization: `Bearer ${install.json.bootstrapToken}` } }),
    ]) {
      expect(answer.status).toBe(401);
      expect(answer.json.message).toMatch(/^the bootstrap token expired at /);
    }
  });

  it('the default lifetime is 24 hours', async () => {
    const running = await start({ publicUrl: 'https://cp.example.test' });
    const install = await callApi(running.url, 'POST', '/api/v1/regions/r/installation', { headers: admin });
    expect(Date.parse(install.json.expiresAt) - Date.now()).toBeGreaterThan(24 * 3600_000 - 60_000);
  });
});

describe('HTTPS answers', () => {
  const start = controlPlanes();

  it('over HTTPS, the API, the console and the installation script carry Strict-Transport-Security', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qhc-tls-'));
    const tls = await createLoopbackTls(join(dir, 'tls'));
    mkdirSync(join(dir, 'console'));
    writeFileSync(join(dir, 'console', 'index.html'), '<!doctype html><title>console</title>');
    const running = await start({ tls: { cert: tls.cert, key: tls.key }, console: { dir: join(dir, 'console') } });
    const get = (path: string, method = 'GET', body?: unknown) =>
      new Promise<{ status: number; hsts: string | undefined; body: string }>((resolve, reject) => {
        const headers = { ...admin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
        const req = request(`${running.url}${path}`, { method, ca: tls.ca, headers }, (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode!, hsts: res.headers['strict-transport-security'], body: text }));
        });
        req.on('error', reject);
        req.end(body === undefined ? undefined : JSON.stringify(body));
      });
    expect(await get('/api/v1/regions', 'POST', REGION)).toMatchObject({ status: 201, hsts: 'max-age=31536000' });
    const install = await get('/api/v1/regions/r/installation', 'POST');
    expect(install).toMatchObject({ status: 201, hsts: 'max-age=31536000' });
    const script = await get(new URL(JSON.parse(install.body).scriptUrl).pathname);
    expect(script).toMatchObject({ status: 200, hsts: 'max-age=31536000' });
    for (const path of ['/api/v1/regions', '/', '/clusters', '/healthz', '/install/unknown-token'])
      expect((await get(path)).hsts, path).toBe('max-age=31536000');
    // Plain HTTP (a development control plane) sends none: browsers ignore it there anyway.
    const plain = await startControlPlane({ database: ':memory:', port: 0, adminToken: ADMIN, logger: createLogger({ level: 'error' }), console: false });
    try {
      expect((await callApi(plain.url, 'GET', '/healthz')).headers.get('strict-transport-security')).toBeNull();
    } finally {
      await plain.stop();
    }
  });
});
