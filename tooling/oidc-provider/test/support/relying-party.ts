import * as client from 'openid-client';
import type { Credentials, OidcProviderHandle } from '../../src/index.ts';

export const REDIRECT_URI = 'http://127.0.0.1:9/callback';

/** openid-client as a relying party: discovery, then an authorization URL with PKCE, state and nonce. */
export async function startSignIn(provider: OidcProviderHandle, auth: 'basic' | 'post' = 'basic') {
  const tokenEndpointAuthMethod = auth === 'basic' ? 'client_secret_basic' : 'client_secret_post';
  const { clientId, clientSecret } = await provider.createClient({ redirectUris: [REDIRECT_URI], tokenEndpointAuthMethod });
  const clientAuth = auth === 'basic' ? client.ClientSecretBasic(clientSecret) : client.ClientSecretPost(clientSecret);
  // http issuer on 127.0.0.1: openid-client insists on https unless told otherwise.
  const config = await client.discovery(new URL(provider.issuer), clientId, undefined, clientAuth, { execute: [client.allowInsecureRequests] });
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: 'openid email groups',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { config, url, verifier, state, nonce };
}

/** The whole flow: sign in through the provider, then exchange the code; returns the ID token's claims. */
export async function signIn(provider: OidcProviderHandle, credentials: Credentials, auth: 'basic' | 'post' = 'basic') {
  const { config, url, verifier, state, nonce } = await startSignIn(provider, auth);
  const callback = await provider.login(url.href, credentials);
  const tokens = await client.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
  return { callback, tokens, claims: tokens.claims() };
}
