// Replicas behind one public URL on one PostgreSQL database: a sign-in started on one replica
// finishes on another (the state, nonce and PKCE verifier are in the database, not in memory).
import { createLogger } from '@qhc/kube';
import { afterAll, describe, expect, it } from 'vitest';
import { startControlPlane, type RunningControlPlane } from '../src/index.ts';
import { databaseFor, MANAGEMENT_KEY, TEST_SECRETS, type CloudPlane } from './support/cloud.ts';
import { VIC } from './support/oidc-users.ts';
import { configureProvider, identityProvider, roleNamesOf, startSignIn } from './support/sso.ts';

const PUBLIC_URL = 'http://sso.example.test';
const running: RunningControlPlane[] = [];
afterAll(async () => {
  for (const cp of running) await cp.stop();
});

async function startReplicas(): Promise<[RunningControlPlane, RunningControlPlane]> {
  const database = await databaseFor('postgres');
  const start = () =>
    startControlPlane({
      database,
      port: 0,
      managementKey: MANAGEMENT_KEY,
      secrets: TEST_SECRETS,
      logger: createLogger({ level: 'error' }),
      publicUrl: PUBLIC_URL,
      console: false,
    });
  const a = await start();
  running.push(a);
  const b = await start();
  running.push(b);
  return [a, b];
}

/** Enough of a CloudPlane for the SSO helpers: the replica and the operator's key. */
const planeOf = (cp: RunningControlPlane) => ({ cp, auth: () => ({ authorization: `apikey ${MANAGEMENT_KEY}` }) }) as unknown as CloudPlane;

describe('signing in across control-plane replicas', () => {
  it('starts on one replica and finishes on another', async () => {
    const [a, b] = await startReplicas();
    const { id } = await configureProvider(planeOf(a), 'Hydra', undefined, PUBLIC_URL);
    const { location, stateCookie } = await startSignIn(planeOf(a), id);
    expect(location.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/auth/oidc/${id}/callback`);
    const callback = new URL(await identityProvider().login(location.href, VIC));
    expect(callback.origin).toBe(PUBLIC_URL);
    // The load balancer sends the browser's callback to the other replica.
    const answer = await fetch(`${b.url}${callback.pathname}${callback.search}`, { redirect: 'manual', headers: { cookie: stateCookie } });
    expect(answer.status).toBe(303);
    expect(answer.headers.getSetCookie()[0]).toMatch(/^qhc_cloud_session=/);
    expect(await roleNamesOf(planeOf(b), VIC.email)).toEqual(['Base', 'Viewer']);
  });
});
