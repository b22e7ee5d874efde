// Callbacks that must not sign anyone in: a state that is not the browser's, none, one already
// used; a provider that does not exist; an email a password user already has.
import { beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/iam/passwords.ts';
import { insertUser } from '../src/repositories/users.ts';
import { cloudPlane, type CloudPlane, type Dialect } from './support/cloud.ts';
import { EVE, VIC } from './support/oidc-users.ts';
import { configureProvider, identityProvider, signInThroughProvider, startSignIn } from './support/sso.ts';

const sessionCount = async (plane: CloudPlane) =>
  Number(
    (
      await plane.cp.store.db.q
        .selectFrom('cloud_sessions')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** A callback's page: its status and the problem it names; no session cookie. */
async function expectRefusedPage(answer: Response, status: number, problem: string): Promise<void> {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(answer.headers.getSetCookie().some((c) => c.startsWith('qhc_cloud_session='))).toBe(false);
  expect(await answer.text()).toContain(problem);
}

/** A real callback URL from the provider for a sign-in this browser started. */
async function callbackOf(plane: CloudPlane, providerId: string) {
  const { location, stateCookie } = await startSignIn(plane, providerId);
  const callback = new URL(await identityProvider().login(location.href, VIC));
  return { callback, stateCookie, state: callback.searchParams.get('state')! };
}

describe.each(['sqlite', 'postgres'] as const)('refused OIDC callbacks on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false });
  let id = '';
  beforeAll(async () => {
    ({ id } = await configureProvider(plane, 'Hydra'));
  });

  it('refuses a state that is not the one the browser started with, and a callback without one', async () => {
    const before = await sessionCount(plane);
    const { callback, stateCookie } = await callbackOf(plane, id);
    const wrong = new URL(callback);
    wrong.searchParams.set('state', 'x'.repeat(43));
    await expectRefusedPage(
      await fetch(wrong, { headers: { cookie: stateCookie } }),
      400,
      'the state parameter is not the one this browser started signing in with',
    );
    const none = new URL(callback);
    none.searchParams.delete('state');
    await expectRefusedPage(await fetch(none, { headers: { cookie: stateCookie } }), 400, 'the callback carries no state parameter');
    // The real state, but from a browser that did not start the sign-in (login CSRF).
    await expectRefusedPage(await fetch(callback), 400, 'this browser has no sign-in under way (no state cookie)');
    // A state cookie set to match a forged state: no such sign-in was started.
    await expectRefusedPage(
      await fetch(wrong, { headers: { cookie: `qhc_oidc_state=${'x'.repeat(43)}` } }),
      400,
      'the sign-in state is unknown, used or expired',
    );
    expect(await sessionCount(plane)).toBe(before);
  });

  it('redeems a state once: the same callback again is refused', async () => {
    const { callback, stateCookie } = await callbackOf(plane, id);
    const first = await fetch(callback, { redirect: 'manual', headers: { cookie: stateCookie } });
    expect(first.status).toBe(303);
    await expectRefusedPage(
      await fetch(callback, { redirect: 'manual', headers: { cookie: stateCookie } }),
      400,
      'the sign-in state is unknown, used or expired',
    );
  });

  it("refuses another provider's state, and expired sign-ins", async () => {
    const other = await configureProvider(plane, 'Hydra 2');
    const { callback, stateCookie } = await callbackOf(plane, id);
    const elsewhere = new URL(callback.href.replace(`/auth/oidc/${id}/`, `/auth/oidc/${other.id}/`));
    await expectRefusedPage(await fetch(elsewhere, { headers: { cookie: stateCookie } }), 400, 'the sign-in state is unknown, used or expired');

    const late = await callbackOf(plane, id);
    plane.clock.now += 601_000;
    try {
      await expectRefusedPage(await fetch(late.callback, { headers: { cookie: late.stateCookie } }), 400, 'the sign-in state is unknown, used or expired');
    } finally {
      plane.clock.now -= 601_000;
    }
  });

  it('answers 404 for a provider that does not exist, and shows what the provider refused', async () => {
    await expectRefusedPage(await fetch(`${plane.cp.url}/auth/oidc/6f9d3c1e-0000-4000-8000-000000000000/start`), 404, 'there is no sign-in provider');
    await expectRefusedPage(await fetch(`${plane.cp.url}/auth/oidc/not-a-uuid/start`), 404, 'there is no sign-in provider not-a-uuid');
    const denied = `${plane.cp.url}/auth/oidc/${id}/callback?error=access_denied&error_description=${encodeURIComponent('<b>no</b>')}`;
    await expectRefusedPage(await fetch(denied), 400, 'the provider refused the sign-in: access_denied &#60;b&#62;no&#60;/b&#62;');
  });

  it('does not let a provider take over a user who exists with a password', async () => {
    await insertUser(plane.cp.store.db, EVE.email, await hashPassword('a password', { memoryKiB: 64, passes: 1, parallelism: 1 }), () => plane.clock.now);
    const { answer } = await signInThroughProvider(plane, id, EVE);
    await expectRefusedPage(answer, 403, 'a user with the email eve@example.com already exists and signs in another way');
    const identities = await plane.cp.store.db.q.selectFrom('oidc_identities').select('subject').execute();
    expect(identities.map((i) => i.subject)).not.toContain(EVE.subject);
  });
});
