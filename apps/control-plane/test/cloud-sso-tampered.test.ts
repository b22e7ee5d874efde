// The relying party checks the ID token's signature against the provider's published keys, also
// for a token straight from the token endpoint (openid-client skips that unless told). A proxy
// in front of Hydra's token endpoint (the control plane's HTTP client to providers) alters the
// real token; the same proxy passing it unchanged signs in, so only the alteration is refused.
import { beforeAll, describe, expect, it } from 'vitest';
import { cloudPlane, type Dialect } from './support/cloud.ts';
import { ADA } from './support/oidc-users.ts';
import { configureProvider, identityProvider, signInThroughProvider, tamperingFetch, type Tamper } from './support/sso.ts';

describe.each(['sqlite', 'postgres'] as const)('a provider behind a proxy (tampered ID tokens, discovery) on %s', (dialect: Dialect) => {
  const proxy = { tamper: 'none' as Tamper, tampered: 0, paths: [] as string[] };
  const plane = cloudPlane(dialect, { https: false, oidcFetch: tamperingFetch(proxy) });
  const discoveries = () => proxy.paths.filter((p) => p.endsWith('/.well-known/openid-configuration')).length;
  let id = '';
  beforeAll(async () => {
    ({ id } = await configureProvider(plane, 'Hydra behind a proxy'));
  });

  it.each(['flip', 'resign'] as const)('refuses a tampered ID token (%s): 401 page, no user, no session', async (tamper) => {
    proxy.tamper = tamper;
    const before = proxy.tampered;
    try {
      const { answer, secret } = await signInThroughProvider(plane, id, ADA);
      expect(proxy.tampered).toBe(before + 1);
      expect(answer.status).toBe(401);
      expect(await answer.text()).toContain('the provider&#39;s answer was refused');
      expect(secret).toBeUndefined();
      expect(await plane.cp.store.db.q.selectFrom('users').select('id').where('email', '=', ADA.email).execute()).toEqual([]);
    } finally {
      proxy.tamper = 'none';
    }
  });

  it('signs in through the same proxy when it passes the token unchanged', async () => {
    const before = proxy.tampered;
    const { answer, secret } = await signInThroughProvider(plane, id, ADA);
    expect(answer.status).toBe(303);
    expect(secret).toBeDefined();
    expect(proxy.tampered).toBe(before);
  });

  it('discovers the provider once per 10 minutes, and again when its settings change', async () => {
    await signInThroughProvider(plane, id, ADA);
    const before = discoveries();
    await signInThroughProvider(plane, id, ADA);
    expect(discoveries()).toBe(before);
    plane.clock.now += 600_000;
    try {
      await signInThroughProvider(plane, id, ADA);
      expect(discoveries()).toBe(before + 1);
    } finally {
      plane.clock.now -= 600_000;
    }
    await plane.cp.store.db.q
      .updateTable('oidc_providers')
      .set({ issuer_url: identityProvider().issuer.replace(/\/$/, '') })
      .where('id', '=', id)
      .execute();
    await signInThroughProvider(plane, id, ADA);
    expect(discoveries()).toBe(before + 2);
  });
});
