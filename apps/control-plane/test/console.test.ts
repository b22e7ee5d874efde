import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '@qhc/kube';
import { consoleAssetsDir } from '@qhc/console';
import { startControlPlane, type RunningControlPlane } from '../src/index.ts';
import { callApi } from './support/http.ts';
import { createTestDatabase } from './support/postgres.ts';
import { sqlOn } from './support/sql.ts';

const ADMIN = 'qhc_u_console-admin-token-0123456789';
let counter = 0;

const call = (cp: RunningControlPlane, method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) =>
  callApi(cp.url, method, path, options);

/** A control plane for the describe block, on `dialect`, and a sign-in to it. */
function sessionFixture(dialect: 'sqlite' | 'postgres') {
  let cp: RunningControlPlane | undefined;
  const signIn = async (token = ADMIN) => {
    const res = await call(cp!, 'POST', '/api/v1/session', { body: { token } });
    const cookie = res.headers.get('set-cookie')?.split(';')[0] ?? '';
    return { ...res, cookie };
  };

  beforeAll(async () => {
    const database =
      dialect === 'sqlite'
        ? join(mkdtempSync(join(tmpdir(), 'qhc-cp-')), 'cp.db')
        : await createTestDatabase(inject('postgresUrl'), `console_${process.pid}_${counter++}`);
    cp = await startControlPlane({
      database,
      port: 0,
      adminToken: ADMIN,
      logger: createLogger({ level: 'error' }),
      console: false,
      publicUrl: 'https://cp.example.test',
    });
  });
  afterAll(async () => {
    await cp?.stop();
  });
  return {
    get cp() {
      return cp!;
    },
    signIn,
  };
}

describe.each(['sqlite', 'postgres'] as const)('console sessions on %s', (dialect) => {
  const fixture = sessionFixture(dialect);
  const { signIn } = fixture;

  it('a user token becomes an HttpOnly, SameSite=Strict session cookie that reads the API', async () => {
    const res = await signIn();
    expect(res.status).toBe(201);
    expect(res.json).toEqual({ csrfToken: expect.stringMatching(/^[\w-]{43}$/), expiresAt: expect.any(String), tokenName: 'admin' });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^qhc_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    // Plain HTTP here: no Secure attribute (the e2e test covers HTTPS).
    expect(cookie).not.toContain('Secure');
    expect((await call(fixture.cp, 'GET', '/api/v1/regions', { headers: { cookie: res.cookie } })).status).toBe(200);
    const session = await call(fixture.cp, 'GET', '/api/v1/session', { headers: { cookie: res.cookie } });
    expect(session.json.csrfToken).toBe(res.json.csrfToken);
    // Only the session id's hash is stored.
    const rows = await sqlOn(fixture.cp.store.db).all<{ hash: string }>('SELECT hash FROM sessions');
    expect(rows.map((r) => r.hash)).not.toContain(res.cookie.split('=')[1]);
  });

  it('refuses a state-changing request with the cookie but without the CSRF token, from another site, or with a wrong one', async () => {
    const { cookie, json } = await signIn();
    const region = { name: 'csrf', namespace: 'csrf', agentVersion: '0.1.0', operatorVersion: '0.1.0' };
    const without = await call(fixture.cp, 'POST', '/api/v1/regions', { body: region, headers: { cookie } });
    expect(without.status).toBe(403);
    expect(without.json).toEqual({
      error: 'CsrfRejected',
      message: "refused with the session cookie: send the session's CSRF token (GET /api/v1/session) in the x-csrf-token header",
    });
    expect(
      (await call(fixture.cp, 'POST', '/api/v1/regions', { body: region, headers: { cookie, 'x-csrf-token': `${json.csrfToken.slice(0, -1)}x` } })).json.error,
    ).toBe('CsrfRejected');
    const crossSite = await call(fixture.cp, 'POST', '/api/v1/regions', {
      body: region,
      headers: { cookie, 'x-csrf-token': json.csrfToken, 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.json.message).toBe('refused with the session cookie: the request came from another site (Sec-Fetch-Site: cross-site)');
    const otherOrigin = await call(fixture.cp, 'POST', '/api/v1/regions', {
      body: region,
      headers: { cookie, 'x-csrf-token': json.csrfToken, origin: 'https://evil.example' },
    });
    expect(otherOrigin.json.message).toBe('refused with the session cookie: the request came from another origin (https://evil.example)');
    expect((await call(fixture.cp, 'GET', '/api/v1/regions/csrf', { headers: { cookie } })).status).toBe(404);

    const host = new URL(fixture.cp.url).host;
    const ok = await call(fixture.cp, 'POST', '/api/v1/regions', {
      body: region,
      headers: { cookie, 'x-csrf-token': json.csrfToken, origin: `http://${host}`, 'sec-fetch-site': 'same-origin' },
    });
    expect(ok.status).toBe(201);
    // A Bearer token needs no CSRF token: the CLI and the agent are unchanged.
    expect((await call(fixture.cp, 'DELETE', '/api/v1/regions/csrf', { headers: { authorization: `Bearer ${ADMIN}` } })).status).toBe(204);
  });

  it('sign-in refuses other kinds of tokens, unknown tokens and other sites, as JSON errors naming the field', async () => {
    expect((await signIn('qhc_u_nope')).json).toEqual({ error: 'Unauthenticated', message: 'token: not valid (unknown or revoked)' });
    expect((await call(fixture.cp, 'POST', '/api/v1/session', { body: {} })).json).toEqual({
      error: 'Invalid',
      message: 'token: paste a user token (qhc_u_…)',
    });
    await call(fixture.cp, 'POST', '/api/v1/regions', {
      body: { name: 'kinds', namespace: 'kinds', agentVersion: '0.1.0', operatorVersion: '0.1.0' },
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    const install = await call(fixture.cp, 'POST', '/api/v1/regions/kinds/installation', { headers: { authorization: `Bearer ${ADMIN}` } });
    const bootstrap = await signIn(install.json.bootstrapToken);
    expect([bootstrap.status, bootstrap.json.message]).toEqual([403, 'token: a bootstrap token cannot sign in; use a user token (qhc_u_…)']);
    const cross = await call(fixture.cp, 'POST', '/api/v1/session', { body: { token: ADMIN }, headers: { 'sec-fetch-site': 'cross-site' } });
    expect([cross.status, cross.json.error]).toEqual([403, 'CsrfRejected']);
    expect((await call(fixture.cp, 'GET', '/api/v1/session')).status).toBe(401);
  });
});

describe.each(['sqlite', 'postgres'] as const)('console sign-out and expiry on %s', (dialect) => {
  const fixture = sessionFixture(dialect);
  const { signIn } = fixture;

  it('sign-out ends the session and clears the cookie; revoking the token ends its sessions', async () => {
    const { cookie, json } = await signIn();
    expect((await call(fixture.cp, 'DELETE', '/api/v1/session', { headers: { cookie } })).status).toBe(403);
    const out = await call(fixture.cp, 'DELETE', '/api/v1/session', { headers: { cookie, 'x-csrf-token': json.csrfToken } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toBe('qhc_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0');
    const after = await call(fixture.cp, 'GET', '/api/v1/regions', { headers: { cookie } });
    expect(after.json).toEqual({ error: 'Unauthenticated', message: 'the console session has expired or was signed out: sign in again' });

    const made = await call(fixture.cp, 'POST', '/api/v1/tokens', { body: { name: 'alice' }, headers: { authorization: `Bearer ${ADMIN}` } });
    const alice = await signIn(made.json.token);
    expect(alice.json.tokenName).toBe('alice');
    expect((await call(fixture.cp, 'GET', '/api/v1/regions', { headers: { cookie: alice.cookie } })).status).toBe(200);
    await call(fixture.cp, 'DELETE', `/api/v1/tokens/${made.json.id}`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect((await call(fixture.cp, 'GET', '/api/v1/regions', { headers: { cookie: alice.cookie } })).status).toBe(401);
  });

  it('a session expires', async () => {
    // The control plane's clock, moved by the test: no sleep stands in for the second passing.
    let now = Date.now();
    const short = await startControlPlane({
      database: ':memory:',
      port: 0,
      adminToken: ADMIN,
      logger: createLogger({ level: 'error' }),
      console: false,
      sessionTtlSeconds: 1,
      now: () => now,
    });
    try {
      const res = await call(short, 'POST', '/api/v1/session', { body: { token: ADMIN } });
      const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
      expect((await call(short, 'GET', '/api/v1/regions', { headers: { cookie } })).status).toBe(200);
      now += 999;
      expect((await call(short, 'GET', '/api/v1/regions', { headers: { cookie } })).status).toBe(200);
      now += 1;
      expect((await call(short, 'GET', '/api/v1/regions', { headers: { cookie } })).status).toBe(401);
    } finally {
      await short.stop();
    }
  });
});

/** A control plane serving a console directory of its own (index.html, a hashed bundle and stylesheet). */
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
    cp = await startControlPlane({ database: ':memory:', port: 0, adminToken: ADMIN, logger: createLogger({ level: 'error' }), console: { dir } });
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
    expect((await call(fixture.cp, 'GET', '/api/v1/nope', { headers: { authorization: `Bearer ${ADMIN}` } })).json).toEqual({
      error: 'NotFound',
      message: 'no such path: /api/v1/nope',
    });
    expect((await call(fixture.cp, 'GET', '/healthz')).text).toBe('ok');
    expect((await call(fixture.cp, 'GET', '/openapi.json')).json.paths['/api/v1/session']).toBeDefined();
  });

  it('serves the built @qhc/console by default, and refuses a directory without index.html', async () => {
    const def = await startControlPlane({ database: ':memory:', port: 0, adminToken: ADMIN, logger: createLogger({ level: 'error' }) });
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
