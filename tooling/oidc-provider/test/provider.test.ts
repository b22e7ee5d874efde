import { describe, expect, inject, it } from 'vitest';
import { connectOidcProvider, OidcLoginRefusedError } from '../src/index.ts';
import { REDIRECT_URI, signIn, startSignIn } from './support/relying-party.ts';
import { ADA, BOB } from './support/users.ts';

const provider = connectOidcProvider(inject('qhcOidc'));

describe('the provider', () => {
  it('serves its discovery document over http on 127.0.0.1', async () => {
    const response = await fetch(new URL('.well-known/openid-configuration', provider.issuer));
    expect(response.status).toBe(200);
    const document = (await response.json()) as Record<string, unknown>;
    expect(document.issuer).toBe(provider.issuer);
    expect(new URL(provider.issuer).hostname).toBe('127.0.0.1');
    expect(document.authorization_endpoint).toBe(new URL('oauth2/auth', provider.issuer).href);
    expect(document.code_challenge_methods_supported).toContain('S256');
  });

  it('creates a client with the redirect URIs asked for', async () => {
    const created = await provider.createClient({ redirectUris: [REDIRECT_URI] });
    expect(created.clientId).not.toBe('');
    expect(created.clientSecret.length).toBeGreaterThanOrEqual(16);
    const stored = (await (await fetch(`${provider.adminUrl}/admin/clients/${created.clientId}`)).json()) as Record<string, unknown>;
    expect(stored.redirect_uris).toEqual([REDIRECT_URI]);
  });
});

describe('an authorization code flow with PKCE (openid-client)', () => {
  it("yields an ID token with the user's subject, email and groups", async () => {
    const { callback, tokens, claims } = await signIn(provider, { email: ADA.email, password: ADA.password });
    expect(new URL(callback).origin + new URL(callback).pathname).toBe(REDIRECT_URI);
    expect(tokens.access_token).toBeTruthy();
    expect(claims).toMatchObject({ iss: provider.issuer, sub: ADA.subject, email: ADA.email, groups: ADA.groups });
  });

  it('gives each user their own groups', async () => {
    const { claims } = await signIn(provider, { email: BOB.email.toUpperCase(), password: BOB.password });
    expect(claims).toMatchObject({ sub: BOB.subject, email: BOB.email, groups: BOB.groups });
  });

  it('serves clients that authenticate with client_secret_post (openid-client given a plain secret)', async () => {
    const { claims } = await signIn(provider, { email: ADA.email, password: ADA.password }, 'post');
    expect(claims).toMatchObject({ sub: ADA.subject, groups: ADA.groups });
  });

  it('signs in again on every login (nothing is remembered between flows)', async () => {
    await signIn(provider, { email: ADA.email, password: ADA.password });
    const { claims } = await signIn(provider, { email: BOB.email, password: BOB.password });
    expect(claims?.sub).toBe(BOB.subject);
  });
});

describe('the login app', () => {
  it('refuses a wrong password', async () => {
    const { url } = await startSignIn(provider);
    await expect(provider.login(url.href, { email: ADA.email, password: `${ADA.password}!` })).rejects.toBeInstanceOf(OidcLoginRefusedError);
  });

  it('refuses an unknown email', async () => {
    const { url } = await startSignIn(provider);
    await expect(provider.login(url.href, { email: 'eve@example.com', password: ADA.password })).rejects.toThrow(/refused the sign-in \(401\)/);
  });

  it("refuses one user's password for another", async () => {
    const { url } = await startSignIn(provider);
    await expect(provider.login(url.href, { email: BOB.email, password: ADA.password })).rejects.toBeInstanceOf(OidcLoginRefusedError);
  });
});
