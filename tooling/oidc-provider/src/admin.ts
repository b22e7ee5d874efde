import type { CreateClientOptions, OidcClient } from './types.ts';

/** The few calls of Hydra's admin API the fixture makes (https://www.ory.sh/docs/hydra/reference/api). */
export class HydraAdmin {
  readonly url: string;

  constructor(url: string) {
    this.url = url.replace(/\/$/, '');
  }

  async createClient(options: CreateClientOptions): Promise<OidcClient> {
    const body = await this.call<{ client_id: string; client_secret: string }>('POST', '/admin/clients', {
      redirect_uris: options.redirectUris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      scope: options.scope ?? 'openid email profile groups offline_access',
      token_endpoint_auth_method: options.tokenEndpointAuthMethod ?? 'client_secret_basic',
    });
    return { clientId: body.client_id, clientSecret: body.client_secret };
  }

  async loginRequest(challenge: string): Promise<{ skip: boolean; subject: string }> {
    return this.call('GET', `/admin/oauth2/auth/requests/login?login_challenge=${encodeURIComponent(challenge)}`);
  }

  async acceptLogin(challenge: string, subject: string): Promise<string> {
    const path = `/admin/oauth2/auth/requests/login/accept?login_challenge=${encodeURIComponent(challenge)}`;
    // remember: false, so every login() signs in again (a test's wrong password is never skipped).
    return (await this.call<{ redirect_to: string }>('PUT', path, { subject, remember: false })).redirect_to;
  }

  async consentRequest(challenge: string): Promise<{ subject: string; requested_scope?: string[]; requested_access_token_audience?: string[] }> {
    return this.call('GET', `/admin/oauth2/auth/requests/consent?consent_challenge=${encodeURIComponent(challenge)}`);
  }

  async acceptConsent(challenge: string, grant: { scope: string[]; audience: string[]; idToken: Record<string, unknown> }): Promise<string> {
    const path = `/admin/oauth2/auth/requests/consent/accept?consent_challenge=${encodeURIComponent(challenge)}`;
    const body = { grant_scope: grant.scope, grant_access_token_audience: grant.audience, remember: false, session: { id_token: grant.idToken } };
    return (await this.call<{ redirect_to: string }>('PUT', path, body)).redirect_to;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`hydra admin ${method} ${path.split('?')[0]}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }
}
